import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProviderServer, type ProviderServer } from './index.mjs';
import {
  resolveModel,
  streamChat,
  streamModel,
  ProviderError,
  isAbortError,
  type ChatMessage,
  type StreamEvent,
  type RetryNotice,
} from '../../packages/daemon/src/provider/index.js';

let server: ProviderServer;

beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function config(type: 'openai' | 'anthropic') {
  return {
    providers: {
      scripted: { type, baseUrl: type === 'openai' ? server.openaiBaseUrl : server.anthropicBaseUrl, apiKeyEnv: 'SCRIPTED_KEY' },
      backup: { type: 'openai' as const, baseUrl: server.openaiBaseUrl },
    },
    retry: { maxRetries: 2, maxDelayMs: 50 },
    // Short enough for the stall tests, long enough that a loaded machine (2 cores, a full suite)
    // does not time out a plain reply and retry it (the retry found no script: "You said: hi").
    timeouts: { firstByteMs: 1500, idleMs: 1500 },
  };
}
const env = { SCRIPTED_KEY: 'test-key-123456' };

async function collect(it: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const e of it) events.push(e);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const text = (events: StreamEvent[]) => events.map((e) => (e.type === 'text' ? e.text : '')).join('');
const user = (t: string): ChatMessage[] => [
  { role: 'system', text: 'sys' },
  { role: 'user', text: t },
];

for (const type of ['openai', 'anthropic'] as const) {
  describe(`over HTTP (${type})`, () => {
    const run = (
      messages: ChatMessage[],
      opts: { model?: string; signal?: AbortSignal; onRetry?: (n: RetryNotice) => void; fallbackModel?: string } = {},
    ) =>
      collect(
        streamModel(
          {
            model: opts.model ?? 'scripted:fast',
            messages,
            tools: [{ name: 'terminal', description: 'run a command', parameters: { type: 'object' } }],
            signal: opts.signal ?? new AbortController().signal,
          },
          {
            config: config(type),
            env,
            ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
            ...(opts.fallbackModel ? { fallbackModel: opts.fallbackModel } : {}),
          },
        ),
      );

    it('streams a text reply with usage, key in the right header', async () => {
      server.script({ type: 'text', text: 'Hello there, friend.', reasoning: 'think first' });
      const r = await run(user('hi'));
      expect(r.error).toBeUndefined();
      expect(text(r.events)).toBe('Hello there, friend.');
      expect(r.events.some((e) => e.type === 'reasoning')).toBe(true);
      expect(r.events.find((e) => e.type === 'usage')).toBeTruthy();
      expect(r.events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop' });
      const req = server.requests[0]!;
      expect(req.protocol).toBe(type);
      if (type === 'openai') {
        expect(req.headers.authorization).toBe('Bearer test-key-123456');
        expect(req.body.stream_options).toEqual({ include_usage: true });
      } else {
        expect(req.headers['x-api-key']).toBe('test-key-123456');
        expect(req.headers['anthropic-version']).toBe('2023-06-01');
        expect(req.body.system).toBe('sys');
      }
    });

    it('assembles parallel tool calls and sends tool results back', async () => {
      server.script({
        type: 'tool_calls',
        calls: [
          { name: 'terminal', args: { command: 'ls -la' } },
          { name: 'terminal', args: { command: 'pwd' } },
        ],
      });
      const r = await run(user('do it'));
      const calls = r.events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
      expect(calls.map((c) => c.args)).toEqual([{ command: 'ls -la' }, { command: 'pwd' }]);
      expect(r.events.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool_calls' });
      const done = r.events.at(-1) as Extract<StreamEvent, { type: 'done' }>;
      const next: ChatMessage[] = [
        ...user('do it'),
        { role: 'assistant', text: '', toolCalls: calls, ...(done.providerBlocks ? { providerBlocks: done.providerBlocks } : {}) },
        { role: 'tool', toolCallId: calls[0]!.id, content: 'file-a\nfile-b' },
        { role: 'tool', toolCallId: calls[1]!.id, content: '/home', isError: true },
      ];
      const summary = await run(next);
      expect(text(summary.events)).toContain('file-a');
      const body = JSON.stringify(server.requests[1]!.body);
      expect(body).toContain(calls[0]!.id);
      expect(body).toContain('file-a');
    });

    it('retries a stall that timed out before any output', async () => {
      server.script({ type: 'stall', ms: 5000, text: 'too late' }, { model: 'stall2' });
      server.script({ type: 'text', text: 'second try' }, { model: 'stall2' });
      const notices: RetryNotice[] = [];
      const r = await run(user('x'), { model: 'scripted:stall2', onRetry: (n) => notices.push(n) });
      expect(text(r.events)).toBe('second try');
      expect(notices[0]!.error.kind).toBe('timeout');
    });

    it('retries a 429 with retry-after, then succeeds', async () => {
      server.script([
        { type: 'http_error', status: 429, headers: { 'retry-after': '0' } },
        { type: 'text', text: 'after retry' },
      ]);
      const notices: RetryNotice[] = [];
      const r = await run(user('x'), { onRetry: (n) => notices.push(n) });
      expect(text(r.events)).toBe('after retry');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.message).toMatch(/rate limited by scripted \(429\); retrying in 0\.0 s \(attempt 2\/3\)/);
    });

    /** One attempt, no retries: for failures that the retry driver would otherwise absorb. */
    const once = (model: string, messages: ChatMessage[]) => {
      const r = resolveModel(model, { config: config(type), env });
      if (!r.ok) throw r.error;
      return collect(
        streamChat(r.model, { model, messages, tools: [], signal: new AbortController().signal }, { timeouts: config(type).timeouts }),
      );
    };

    it('hits the first-byte timeout on a stall instead of hanging', async () => {
      server.script({ type: 'stall' }, { model: 'stall' });
      const r = await once('scripted:stall', user('x'));
      expect(r.error).toBeInstanceOf(ProviderError);
      expect((r.error as ProviderError).kind).toBe('timeout');
    });

    it('hits the idle timeout after partial output, and does not retry it', async () => {
      server.script({ type: 'stall', afterText: 'partial ' }, { model: 'idle' });
      const r = await run(user('x'), { model: 'scripted:idle' });
      expect(text(r.events)).toBe('partial ');
      expect((r.error as ProviderError).kind).toBe('timeout');
      expect(server.requests).toHaveLength(1);
    });

    it('reports a cut stream as truncated_stream', async () => {
      server.script({ type: 'cut', afterText: 'some text ' }, { model: 'cut' });
      const r = await run(user('x'), { model: 'scripted:cut' });
      expect(text(r.events)).toBe('some text ');
      expect((r.error as ProviderError).kind).toBe('truncated_stream');
    });

    it('turns an in-band error into an error', async () => {
      server.script({ type: 'stream_error', afterText: 'so far ' }, { model: 'inband' });
      const r = await once('scripted:inband', user('x'));
      expect(text(r.events)).toBe('so far ');
      expect(r.error).toBeInstanceOf(ProviderError);
      expect((r.error as ProviderError).kind).toBe(type === 'openai' ? 'server_error' : 'overloaded');
    });

    it('falls back to the fallback model when the primary is exhausted', async () => {
      server.script(
        { type: 'http_error', status: 402, body: { error: { code: 402, message: 'Insufficient credits' } } },
        { model: 'broke' },
      );
      server.script({ type: 'text', text: 'from backup' }, { model: 'b' });
      const notices: RetryNotice[] = [];
      const r = await run(user('x'), { model: 'scripted:broke', fallbackModel: 'backup:b', onRetry: (n) => notices.push(n) });
      expect(text(r.events)).toBe('from backup');
      expect(notices.map((n) => n.kind)).toEqual(['fallback']);
      // The scripted key never went to the backup provider.
      expect(server.requests[1]!.headers.authorization).toBeUndefined();
    });

    it('abort mid-stream stops reading and frees the connection', async () => {
      server.script({ type: 'text', text: 'word '.repeat(200), tokensPerSecond: 200 }, { model: 'slow' });
      const ac = new AbortController();
      const r = resolveModel('scripted:slow', { config: config(type), env });
      if (!r.ok) throw r.error;
      const events: StreamEvent[] = [];
      let error: unknown;
      try {
        for await (const e of streamChat(r.model, { model: 'scripted:slow', messages: user('x'), tools: [], signal: ac.signal })) {
          events.push(e);
          if (events.length === 3) ac.abort();
        }
      } catch (e) {
        error = e;
      }
      expect(isAbortError(error)).toBe(true);
      await expect.poll(() => server.requests[0]!.aborted, { timeout: 5000 }).toBe(true);
    });
  });
}

describe('default replies (no script)', () => {
  it('echoes, makes tool calls from /tool, and summarises tool results', async () => {
    const r = resolveModel('scripted:any', { config: config('openai'), env });
    if (!r.ok) throw r.error;
    const call = (messages: ChatMessage[]) =>
      collect(streamChat(r.model, { model: 'scripted:any', messages, tools: [], signal: new AbortController().signal }));
    expect(text((await call(user('ping'))).events)).toBe('You said: ping');
    const t = await call(user('/tool terminal {"command":"ls"}'));
    const c = t.events.find((e) => e.type === 'tool_call');
    expect(c).toMatchObject({ call: { name: 'terminal', args: { command: 'ls' } } });
    const id = (c as Extract<StreamEvent, { type: 'tool_call' }>).call.id;
    const s = await call([
      ...user('/tool terminal {"command":"ls"}'),
      { role: 'assistant', text: '', toolCalls: [{ id, name: 'terminal', args: { command: 'ls' } }] },
      { role: 'tool', toolCallId: id, content: 'README.md' },
    ]);
    expect(text(s.events)).toContain('README.md');
  });

  it('streams a long turn of N tokens', async () => {
    server.script({ type: 'long', tokens: 5000 });
    const r = resolveModel('scripted:any', { config: config('anthropic'), env });
    if (!r.ok) throw r.error;
    const out = await collect(
      streamChat(r.model, { model: 'scripted:any', messages: user('go'), tools: [], signal: new AbortController().signal }),
    );
    expect(out.error).toBeUndefined();
    expect(text(out.events).split(/\s+/).filter(Boolean)).toHaveLength(5000);
  });

  it('keys turns by marker so concurrent sessions can be scripted', async () => {
    server.script({ type: 'text', text: 'for A' }, { marker: 'A' });
    server.script({ type: 'text', text: 'for B' }, { marker: 'B' });
    const r = resolveModel('scripted:any', { config: config('openai'), env });
    if (!r.ok) throw r.error;
    const call = (t: string) =>
      collect(streamChat(r.model, { model: 'scripted:any', messages: user(t), tools: [], signal: new AbortController().signal }));
    const [b, a] = await Promise.all([call('[[script:B]] hi'), call('[[script:A]] hi')]);
    expect(text(a.events)).toBe('for A');
    expect(text(b.events)).toBe('for B');
  });
});
