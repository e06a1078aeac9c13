// A scripted LLM provider for end-to-end tests and benchmarks: a real HTTP server on 127.0.0.1
// that speaks OpenAI Chat Completions and Anthropic Messages streaming and replays scripted
// turns. Plain JS so it runs without a build step; types are in index.d.mts.
import { createServer } from 'node:http';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Splits text into word-ish "tokens" (a word with its trailing space); whitespace is kept. */
export function tokenize(text) {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}

const WORDS = [
  'the',
  'quick',
  'brown',
  'fox',
  'jumps',
  'over',
  'a',
  'lazy',
  'dog',
  'and',
  'then',
  'writes',
  'some',
  'more',
  'text',
  'about',
  'it',
];

/** `n` tokens of filler text, deterministic, with a newline every 16 words. */
export function longText(n) {
  let out = '';
  for (let i = 0; i < n; i++) out += WORDS[i % WORDS.length] + ((i + 1) % 16 === 0 ? '\n' : ' ');
  return out;
}

/** Text of a message in either protocol's shape. */
function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .filter((b) => b && b.type === 'text')
      .map((b) => b.text)
      .join('');
  return '';
}

/** The conversation seen by the server, normalized: last user text, last tool results. */
export function inspectConversation(protocol, body) {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const users = [];
  let toolResults = [];
  const toolNames = new Map();
  let lastKind = null;
  for (const m of messages) {
    if (!m || typeof m !== 'object') continue;
    if (m.role === 'assistant') {
      for (const c of m.tool_calls ?? []) toolNames.set(c.id, c.function?.name);
      if (Array.isArray(m.content)) for (const b of m.content) if (b?.type === 'tool_use') toolNames.set(b.id, b.name);
      lastKind = 'assistant';
      toolResults = [];
    } else if (m.role === 'tool') {
      toolResults.push({ id: m.tool_call_id, name: toolNames.get(m.tool_call_id), content: textOf(m.content) });
      lastKind = 'tool';
    } else if (m.role === 'user') {
      const blocks = Array.isArray(m.content) ? m.content : [];
      const results = blocks.filter((b) => b?.type === 'tool_result');
      if (results.length > 0) {
        toolResults = results.map((b) => ({
          id: b.tool_use_id,
          name: toolNames.get(b.tool_use_id),
          content: typeof b.content === 'string' ? b.content : textOf(b.content),
          isError: b.is_error === true,
        }));
      }
      const text = textOf(m.content);
      if (text !== '') users.push(text);
      lastKind = text !== '' ? 'user' : results.length > 0 ? 'tool' : lastKind;
    }
  }
  return { lastUser: users.at(-1) ?? '', users, toolResults: lastKind === 'tool' ? toolResults : [], lastKind };
}

/**
 * The unscripted reply: slash commands for manual testing, a summary after tool results,
 * otherwise an echo. Returns a turn like the scripted ones.
 */
export function defaultTurn(conv) {
  if (conv.lastKind === 'tool' && conv.toolResults.length > 0) {
    const parts = conv.toolResults.map((r) => {
      const body = r.content.length > 400 ? `${r.content.slice(0, 400)}…` : r.content;
      return `The ${r.name ?? 'tool'} call ${r.isError ? 'failed' : 'returned'}:\n${body}`;
    });
    return { type: 'text', text: parts.join('\n\n') };
  }
  const text = conv.lastUser.trim();
  const m = /^\/(\w+)\s*([\s\S]*)$/.exec(text);
  if (m) {
    const [, cmd, rest] = m;
    const arg = rest.trim();
    switch (cmd) {
      case 'tool': {
        // `/tool NAME {json}`; several calls separated by ` && ` make parallel calls.
        const calls = arg.split(/\s+&&\s+/).map((spec) => {
          const sp = /^(\S+)\s*([\s\S]*)$/.exec(spec.trim());
          let args = {};
          if (sp?.[2]) {
            try {
              args = JSON.parse(sp[2]);
            } catch {
              return { name: sp[1], rawArgs: sp[2] };
            }
          }
          return { name: sp?.[1] ?? 'unknown', args };
        });
        return { type: 'tool_calls', calls };
      }
      case 'think':
        return {
          type: 'text',
          reasoning: `Thinking about: ${arg || 'nothing in particular'}`,
          text: arg ? `Thought about "${arg}".` : 'Done thinking.',
        };
      case 'long':
        return { type: 'long', tokens: Number(arg) || 2000 };
      case 'slow':
        return { type: 'text', text: arg || longText(60), tokensPerSecond: 20 };
      case 'error': {
        const status = Number(arg) || 500;
        return { type: 'http_error', status, headers: status === 429 ? { 'retry-after': '1' } : {} };
      }
      case 'inband':
        return { type: 'stream_error', afterText: 'Partial answer ' };
      case 'stall':
        return arg ? { type: 'stall', ms: Number(arg), text: 'Back after the stall.' } : { type: 'stall' };
      case 'cut':
        return { type: 'cut', afterText: 'This reply will be cut ' };
      default:
        break;
    }
  }
  return { type: 'text', text: text === '' ? 'Hello from the scripted provider.' : `You said: ${text}` };
}

const MARKER = /\[\[script:([A-Za-z0-9_.-]+)\]\]/;

/** The system text of a request in either protocol's shape. */
function systemText(protocol, body) {
  if (protocol === 'anthropic') return typeof body?.system === 'string' ? body.system : textOf(body?.system);
  const sys = (Array.isArray(body?.messages) ? body.messages : []).find((m) => m?.role === 'system');
  return sys ? textOf(sys.content) : '';
}

/** hermes' compaction requests say so in their system prompt: they get a short summary by default. */
export function isCompactionRequest(protocol, body) {
  return systemText(protocol, body).includes('CONTEXT COMPACTION');
}

function defaultSummary(conv) {
  const request = conv.users.at(-1) ?? '';
  const firstUser = /\[user\]\n([^\n]*)/.exec(request)?.[1] ?? '';
  const users = (request.match(/\[user\]/g) ?? []).length;
  return `## Goal\n${firstUser.slice(0, 200)}\n\n## State of the work\nScripted summary of ${users} user messages (${request.length} chars).`;
}

/** The vendor's "prompt too long" error. */
function contextError(protocol, tokens, window) {
  if (protocol === 'anthropic')
    return { type: 'error', error: { type: 'invalid_request_error', message: `prompt is too long: ${tokens} tokens > ${window} maximum` } };
  return {
    error: {
      message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens.`,
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    },
  };
}

function vendorError(protocol, status, message) {
  if (protocol === 'anthropic') {
    const type =
      status === 429
        ? 'rate_limit_error'
        : status === 529
          ? 'overloaded_error'
          : status === 401
            ? 'authentication_error'
            : status >= 500
              ? 'api_error'
              : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
  const type =
    status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: type } };
}

/** Start a scripted provider. See README.md for the turn format. */
export async function startProviderServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const globalQueue = [];
  const modelQueues = new Map();
  const markerQueues = new Map();
  const requests = [];
  const contextWindows = new Map(Object.entries(options.contextWindows ?? {}));
  const sockets = new Set();
  let ids = 0;
  const nextId = (prefix) => `${prefix}${(++ids).toString().padStart(6, '0')}`;

  function takeTurn(model, conv) {
    const q = modelQueues.get(model);
    if (q && q.length > 0) return q.shift();
    for (const u of [...conv.users].reverse()) {
      const m = MARKER.exec(u);
      if (m) {
        const mq = markerQueues.get(m[1]);
        if (mq && mq.length > 0) return mq.shift();
        break;
      }
    }
    if (globalQueue.length > 0) return globalQueue.shift();
    return null;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(err?.message ?? err), type: 'server_error' } }));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function readBody(req) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: [{ name: 'scripted', model: 'scripted' }] }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
      return;
    }
    const protocol = url.pathname.endsWith('/chat/completions') ? 'openai' : url.pathname.endsWith('/messages') ? 'anthropic' : null;
    if (req.method !== 'POST' || !protocol) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url.pathname}`, type: 'not_found_error' } }));
      return;
    }
    const raw = await readBody(req);
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(vendorError(protocol, 400, 'request body is not JSON')));
      return;
    }
    const headers = { ...req.headers };
    const conv = inspectConversation(protocol, body);
    const model = typeof body.model === 'string' ? body.model : '';
    // A model with a window refuses a longer request before any turn is used, as a real one does.
    const window = contextWindows.get(model);
    const overWindow = window !== undefined && Math.ceil(raw.length / 4) > window;
    const scripted = overWindow ? null : takeTurn(model, conv);
    const turn = overWindow
      ? { type: 'context_length_exceeded', tokens: Math.ceil(raw.length / 4), window }
      : (scripted ?? (isCompactionRequest(protocol, body) ? { type: 'text', text: defaultSummary(conv) } : defaultTurn(conv)));
    const record = {
      protocol,
      path: url.pathname,
      headers,
      body,
      model,
      turn,
      scripted: scripted !== null,
      aborted: false,
      completed: false,
    };
    requests.push(record);
    let finished = false;
    res.on('close', () => {
      if (!finished) record.aborted = true;
    });

    if (options.apiKey) {
      const given = protocol === 'anthropic' ? headers['x-api-key'] : (headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (given !== options.apiKey) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(vendorError(protocol, 401, 'invalid x-api-key / bearer token')));
        finished = true;
        return;
      }
    }
    if (turn.delayMs) await sleep(turn.delayMs);
    if (turn.type === 'context_length_exceeded') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(contextError(protocol, turn.tokens ?? Math.ceil(raw.length / 4), turn.window ?? 4096)));
      finished = true;
      record.completed = true;
      return;
    }
    if (turn.type === 'http_error') {
      const status = turn.status ?? 500;
      const payload =
        turn.body === undefined
          ? JSON.stringify(vendorError(protocol, status, turn.message ?? `scripted error ${status}`))
          : typeof turn.body === 'string'
            ? turn.body
            : JSON.stringify(turn.body);
      const ct = typeof turn.body === 'string' && /^\s*</.test(turn.body) ? 'text/html' : 'application/json';
      res.writeHead(status, { 'content-type': ct, ...(turn.headers ?? {}) });
      res.end(payload);
      finished = true;
      record.completed = true;
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const stream = new Writer(res);
    const render =
      protocol === 'anthropic' ? new AnthropicRenderer(stream, model, nextId) : new OpenAIRenderer(stream, model, nextId, body);
    const inputTokens = Math.ceil(raw.length / 4);
    await play(turn, render, stream, inputTokens, options);
    finished = !stream.closed;
    record.completed = finished;
    if (!stream.closed && !stream.cut) res.end();
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  const port = server.address().port;
  const url = `http://${host}:${port}`;

  return {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    script(turns, key = {}) {
      const list = Array.isArray(turns) ? turns : [turns];
      if (key.model) {
        if (!modelQueues.has(key.model)) modelQueues.set(key.model, []);
        modelQueues.get(key.model).push(...list);
      } else if (key.marker) {
        if (!markerQueues.has(key.marker)) markerQueues.set(key.marker, []);
        markerQueues.get(key.marker).push(...list);
      } else globalQueue.push(...list);
    },
    setContextWindow(model, tokens) {
      if (tokens === undefined || tokens === null) contextWindows.delete(model);
      else contextWindows.set(model, tokens);
    },
    pending() {
      let n = globalQueue.length;
      for (const q of modelQueues.values()) n += q.length;
      for (const q of markerQueues.values()) n += q.length;
      return n;
    },
    reset() {
      globalQueue.length = 0;
      modelQueues.clear();
      markerQueues.clear();
      requests.length = 0;
    },
    get openConnections() {
      return sockets.size;
    },
    close() {
      return new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve(undefined));
      });
    },
  };
}

/** A response writer that honours backpressure and notices the client going away. */
class Writer {
  constructor(res) {
    this.res = res;
    this.closed = false;
    this.cut = false;
    res.on('close', () => {
      this.closed = true;
    });
  }
  async write(text) {
    if (this.closed) return false;
    if (!this.res.write(text)) {
      await new Promise((resolve) => {
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve(undefined);
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
    return !this.closed;
  }
  /** Closes the socket in the middle of an event. */
  async cutNow(partial) {
    if (this.closed) return;
    this.cut = true;
    this.res.write(partial);
    await sleep(10);
    this.res.socket?.destroy();
  }
}

/** Plays one turn through a renderer: pacing, stalls and cuts are protocol-neutral. */
async function play(turn, r, w, inputTokens, options) {
  const tps = turn.tokensPerSecond ?? options.tokensPerSecond ?? 0;
  const per = Math.max(1, turn.chunkTokens ?? 1);
  const gap = tps > 0 ? (1000 * per) / tps : 0;
  let output = 0;
  const streamTokens = async (kind, text) => {
    const toks = tokenize(text);
    for (let i = 0; i < toks.length; i += per) {
      if (w.closed) return;
      if (gap && i > 0) await sleep(gap);
      await r.delta(kind, toks.slice(i, i + per).join(''));
      output += Math.min(per, toks.length - i);
    }
  };
  // A stall with nothing before it sends headers only: no body byte, so the client's
  // first-byte timer is what fires.
  if (!(turn.type === 'stall' && !turn.afterText)) await r.start(inputTokens);
  switch (turn.type) {
    case 'text':
    case undefined:
      if (turn.reasoning) await streamTokens('reasoning', turn.reasoning);
      await streamTokens('text', turn.text ?? '');
      return r.finish('stop', { inputTokens, outputTokens: output }, turn.usage);
    case 'long':
      await streamTokens('text', longText(turn.tokens ?? 1000));
      return r.finish('stop', { inputTokens, outputTokens: output }, turn.usage);
    case 'tool_calls':
      if (turn.reasoning) await streamTokens('reasoning', turn.reasoning);
      if (turn.text) await streamTokens('text', turn.text);
      for (const call of turn.calls ?? []) {
        if (w.closed) return;
        await r.toolCall(call);
        output += 10;
      }
      return r.finish('tool_calls', { inputTokens, outputTokens: output }, turn.usage);
    case 'stream_error':
      if (turn.afterText) await streamTokens('text', turn.afterText);
      return r.error(turn.error);
    case 'stall':
      if (turn.afterText) await streamTokens('text', turn.afterText);
      if (turn.ms === undefined || turn.ms === null) {
        await new Promise((resolve) => w.res.on('close', resolve));
        return;
      }
      await sleep(turn.ms);
      if (w.closed) return;
      if (!turn.afterText) await r.start(inputTokens);
      if (turn.text) await streamTokens('text', turn.text);
      return r.finish('stop', { inputTokens, outputTokens: output }, turn.usage);
    case 'cut':
      if (turn.afterText) await streamTokens('text', turn.afterText);
      return w.cutNow(r.partialEvent());
    default:
      await streamTokens('text', `unknown scripted turn type ${String(turn.type)}`);
      return r.finish('stop', { inputTokens, outputTokens: output });
  }
}

class OpenAIRenderer {
  constructor(w, model, nextId, body) {
    this.w = w;
    this.model = model;
    this.nextId = nextId;
    this.id = nextId('chatcmpl-');
    this.includeUsage = body?.stream_options?.include_usage === true;
    this.toolIndex = 0;
  }
  chunk(delta, finish = null, extra = {}) {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: this.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
  }
  start() {
    return this.w.write(this.chunk({ role: 'assistant', content: '' }));
  }
  delta(kind, text) {
    return this.w.write(this.chunk(kind === 'reasoning' ? { reasoning_content: text } : { content: text }));
  }
  async toolCall(call) {
    const index = this.toolIndex++;
    const args = call.rawArgs ?? JSON.stringify(call.args ?? {});
    await this.w.write(
      this.chunk({
        tool_calls: [{ index, id: call.id ?? this.nextId('call_'), type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    // Fragments split anywhere, like real servers do.
    const step = Math.max(1, Math.ceil(args.length / 3));
    for (let i = 0; i < args.length; i += step)
      await this.w.write(this.chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + step) } }] }));
  }
  async finish(reason, usage, override) {
    const u = { ...usage, ...(override ?? {}) };
    const wire = { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens };
    if (u.cachedTokens !== undefined) wire.prompt_tokens_details = { cached_tokens: u.cachedTokens };
    if (u.costUsd !== undefined) wire.cost = u.costUsd;
    await this.w.write(this.chunk({}, reason));
    if (this.includeUsage) {
      await this.w.write(
        `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: this.model, choices: [], usage: wire })}\n\n`,
      );
    }
    await this.w.write('data: [DONE]\n\n');
  }
  error(err) {
    return this.w.write(
      `data: ${JSON.stringify({ error: err ?? { message: 'scripted in-band failure', type: 'server_error', param: null, code: null } })}\n\n`,
    );
  }
  partialEvent() {
    return `data: {"id":"${this.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc`;
  }
}

class AnthropicRenderer {
  constructor(w, model, nextId) {
    this.w = w;
    this.model = model;
    this.nextId = nextId;
    this.index = -1;
    this.open = null;
  }
  ev(type, data) {
    return this.w.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  }
  async start(inputTokens) {
    await this.ev('message_start', {
      message: {
        id: this.nextId('msg_'),
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 1 },
      },
    });
    await this.ev('ping', {});
  }
  async closeBlock() {
    if (this.open === null) return;
    if (this.open === 'thinking')
      await this.ev('content_block_delta', {
        index: this.index,
        delta: { type: 'signature_delta', signature: `sig-${this.index}-scripted` },
      });
    await this.ev('content_block_stop', { index: this.index });
    this.open = null;
  }
  async delta(kind, text) {
    const want = kind === 'reasoning' ? 'thinking' : 'text';
    if (this.open !== want) {
      await this.closeBlock();
      this.index++;
      this.open = want;
      await this.ev('content_block_start', {
        index: this.index,
        content_block: want === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' },
      });
    }
    await this.ev('content_block_delta', {
      index: this.index,
      delta: want === 'thinking' ? { type: 'thinking_delta', thinking: text } : { type: 'text_delta', text },
    });
  }
  async toolCall(call) {
    await this.closeBlock();
    this.index++;
    const args = call.rawArgs ?? JSON.stringify(call.args ?? {});
    await this.ev('content_block_start', {
      index: this.index,
      content_block: { type: 'tool_use', id: call.id ?? this.nextId('toolu_'), name: call.name, input: {} },
    });
    await this.ev('content_block_delta', { index: this.index, delta: { type: 'input_json_delta', partial_json: '' } });
    const step = Math.max(1, Math.ceil(args.length / 3));
    for (let i = 0; i < args.length; i += step)
      await this.ev('content_block_delta', {
        index: this.index,
        delta: { type: 'input_json_delta', partial_json: args.slice(i, i + step) },
      });
    await this.ev('content_block_stop', { index: this.index });
  }
  async finish(reason, usage, override) {
    const u = { ...usage, ...(override ?? {}) };
    await this.closeBlock();
    const stop = reason === 'tool_calls' ? 'tool_use' : reason === 'length' ? 'max_tokens' : 'end_turn';
    const wire = { output_tokens: u.outputTokens };
    if (u.cachedTokens !== undefined) wire.cache_read_input_tokens = u.cachedTokens;
    await this.ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: wire });
    await this.ev('message_stop', {});
  }
  error(err) {
    return this.ev('error', { error: err ?? { type: 'overloaded_error', message: 'Overloaded' } });
  }
  partialEvent() {
    return `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trunc`;
  }
}
