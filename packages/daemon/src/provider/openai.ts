import type { Usage } from '@hermes/protocol';
import { ProviderError, classifyError, simpleError, type ErrorContext } from './errors.js';
import { SseDecoder, type SseEvent } from './sse.js';
import { ThinkSplitter } from './think.js';
import { finishToolCall, syntheticCallId } from './tool-args.js';
import type { ChatMessage, FinishReason, StreamEvent, ToolSpec } from './types.js';

export interface OpenAIBodyOptions {
  model: string;
  streamUsage: boolean;
  maxTokens?: number;
  /** OpenAI's own API wants `max_completion_tokens`; compatible servers know `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

type Json = Record<string, unknown>;

/** The Chat Completions request body. Reasoning is not sent back: DeepSeek rejects it. */
export function buildOpenAIBody(messages: ChatMessage[], tools: ToolSpec[], opts: OpenAIBodyOptions): Json {
  const wire: Json[] = [];
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        wire.push({ role: 'system', content: m.text });
        break;
      case 'user':
        wire.push({ role: 'user', content: m.text });
        break;
      case 'assistant': {
        const msg: Json = { role: 'assistant', content: m.text === '' ? null : m.text };
        if (m.toolCalls && m.toolCalls.length > 0) {
          msg.tool_calls = m.toolCalls.map((c) => ({
            id: c.id,
            type: 'function',
            // Unparseable arguments go back as `{}`: several servers re-parse this string.
            function: { name: c.name, arguments: JSON.stringify(c.invalidArgs !== undefined ? {} : c.args) },
          }));
        } else if (m.text === '') {
          msg.content = '';
        }
        wire.push(msg);
        break;
      }
      case 'tool':
        wire.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
        break;
    }
  }
  const body: Json = { model: opts.model, messages: wire, stream: true };
  if (opts.streamUsage) body.stream_options = { include_usage: true };
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  }
  if (opts.maxTokens !== undefined) body[opts.maxTokensField ?? 'max_tokens'] = opts.maxTokens;
  return body;
}

interface CallAcc {
  /** Sort key: the wire index, or arrival order for servers that send none. */
  index: number;
  arrival: number;
  id: string;
  name: string;
  args: string;
}

const KNOWN_FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** OpenAI-style usage, with DeepSeek's cache counts and OpenRouter's `cost`. */
export function openAIUsage(u: Json): Usage | undefined {
  const input = num(u.prompt_tokens);
  const output = num(u.completion_tokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: Math.round(input ?? 0), outputTokens: Math.round(output ?? 0) };
  const cached = num(obj(u.prompt_tokens_details)?.cached_tokens) ?? num(u.prompt_cache_hit_tokens);
  if (cached !== undefined) usage.cachedTokens = Math.round(cached);
  const cost = num(u.cost);
  if (cost !== undefined) usage.costUsd = cost;
  return usage;
}

export interface AssemblerOptions {
  /** Split a leading `<think>…</think>` out of content. */
  thinkTags?: boolean;
  newId?: () => string;
}

/**
 * Turns OpenAI-compatible SSE events into stream events. Pure: no I/O, so it is fed whole,
 * byte by byte or in random splits by the tests. Throws `ProviderError` for in-band errors.
 */
export class OpenAIAssembler {
  private readonly think: ThinkSplitter;
  private readonly newId: () => string;
  private calls: CallAcc[] = [];
  private byIndex = new Map<number, CallAcc>();
  private finish: string | null = null;
  private sawContent = false;
  private lastUsage: Usage | undefined;
  private done = false;

  constructor(
    private readonly ctx: ErrorContext,
    opts: AssemblerOptions = {},
  ) {
    this.think = new ThinkSplitter(opts.thinkTags ?? true);
    this.newId = opts.newId ?? syntheticCallId;
  }

  /** True once `[DONE]` was seen: later events are ignored. */
  get finished(): boolean {
    return this.done;
  }

  handle(ev: SseEvent): StreamEvent[] {
    if (this.done) return [];
    if (ev.error !== undefined) throw this.inBand(parseMaybe(ev.error) ?? ev.error);
    if (ev.event === 'error') throw this.inBand(parseMaybe(ev.data) ?? ev.data);
    if (ev.data.startsWith('[DONE]')) {
      this.done = true;
      return [];
    }
    const parsed = parseMaybe(ev.data);
    const chunk = obj(parsed);
    if (!chunk)
      throw simpleError(
        'invalid_response',
        `${this.ctx.provider} sent a stream event that is not JSON: ${ev.data.slice(0, 120)}`,
        this.ctx,
        true,
      );
    // Errors before choices: a reader of choices[0] alone would report an empty success.
    if (chunk.error) throw this.inBand(chunk.error);
    const out: StreamEvent[] = [];
    const usage = obj(chunk.usage);
    if (usage) {
      const u = openAIUsage(usage);
      if (u) this.lastUsage = u;
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = obj(choices.find((c) => obj(c)?.index === 0 || obj(c)?.index === undefined) ?? choices[0]);
    if (!choice) return out;
    const delta = obj(choice.delta) ?? {};
    const reasoning =
      typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : '';
    if (reasoning) {
      this.sawContent = true;
      out.push({ type: 'reasoning', text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.sawContent = true;
      for (const p of this.think.push(delta.content)) out.push({ type: p.kind, text: p.text });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.sawContent = true;
      out.push({ type: 'text', text: delta.refusal });
    }
    if (Array.isArray(delta.tool_calls)) for (const tc of delta.tool_calls) this.toolDelta(obj(tc));
    const fr = choice.finish_reason;
    if (typeof fr === 'string' && fr !== '') {
      if (fr === 'error') throw this.inBand(chunk.error ?? 'the provider ended the reply with an error');
      this.finish = fr; // a later null never clears it
    }
    return out;
  }

  /** Called at `[DONE]` or EOF: emits the assembled calls, usage and `done`, or throws. */
  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (!this.done && this.finish === null) {
      throw simpleError('truncated_stream', `the stream from ${this.ctx.provider} ended before the reply finished`, this.ctx);
    }
    if (this.finish === null && !this.sawContent && this.calls.length === 0) {
      throw simpleError(
        'invalid_response',
        `${this.ctx.provider} returned an empty stream (no text, no tool calls, no finish reason)`,
        this.ctx,
        true,
      );
    }
    for (const p of this.think.finish()) out.push({ type: p.kind, text: p.text });
    const calls = [...this.calls].sort((a, b) => a.index - b.index || a.arrival - b.arrival);
    for (const c of calls) out.push({ type: 'tool_call', call: finishToolCall(c.id || this.newId(), c.name, c.args) });
    if (this.lastUsage) out.push({ type: 'usage', usage: this.lastUsage });
    let reason: FinishReason = this.finish === null ? 'stop' : (KNOWN_FINISH[this.finish] ?? 'other');
    if (calls.length > 0 && reason === 'stop') reason = 'tool_calls';
    if (calls.length === 0 && reason === 'tool_calls') reason = 'stop';
    out.push({ type: 'done', finishReason: reason });
    return out;
  }

  private toolDelta(tc: Json | undefined): void {
    if (!tc) return;
    const fn = obj(tc.function) ?? {};
    const id = typeof tc.id === 'string' ? tc.id : '';
    const name = typeof fn.name === 'string' ? fn.name : '';
    let acc: CallAcc | undefined;
    if (typeof tc.index === 'number') {
      acc = this.byIndex.get(tc.index);
      // A different id on a used index is a new call sent under the wrong index.
      if (!acc || (id !== '' && acc.id !== '' && id !== acc.id)) {
        acc = this.add(tc.index);
        this.byIndex.set(tc.index, acc);
      }
    } else {
      // No index (Gemini): a new id starts a call, a known id continues it, none continues the
      // last, unless it names a tool while the last call is already complete (Gemini sends
      // whole calls with `id: ""`).
      const last = this.calls.at(-1);
      if (id !== '') acc = this.calls.find((c) => c.id === id);
      else if (last && !(name !== '' && last.name !== '' && isCompleteJson(last.args))) acc = last;
      if (!acc) acc = this.add(this.calls.length === 0 ? 0 : Math.max(...this.calls.map((c) => c.index)) + 1);
    }
    if (acc.id === '' && id !== '') acc.id = id; // set once: proxies repeat it on every delta
    if (acc.name === '' && name !== '') acc.name = name;
    if (typeof fn.arguments === 'string') acc.args += fn.arguments;
    else if (obj(fn.arguments)) acc.args = JSON.stringify(fn.arguments);
  }

  private add(index: number): CallAcc {
    const acc: CallAcc = { index, arrival: this.calls.length, id: '', name: '', args: '' };
    this.calls.push(acc);
    return acc;
  }

  private inBand(error: unknown): ProviderError {
    return classifyError({ status: 0, parsed: typeof error === 'string' ? { message: error } : { error } }, this.ctx);
  }
}

function isCompleteJson(text: string): boolean {
  if (text.trim() === '') return false;
  return parseMaybe(text) !== undefined;
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Runs bytes through the SSE decoder and the assembler; the I/O-free core of `streamOpenAI`. */
export async function* decodeOpenAIStream(
  chunks: AsyncIterable<Uint8Array>,
  ctx: ErrorContext,
  opts: AssemblerOptions = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  const sse = new SseDecoder();
  const asm = new OpenAIAssembler(ctx, opts);
  for await (const chunk of chunks) {
    for (const ev of sse.push(chunk)) yield* asm.handle(ev);
    if (asm.finished) break; // `[DONE]`: stop reading, release the connection
  }
  if (!asm.finished) for (const ev of sse.end().events) yield* asm.handle(ev);
  yield* asm.end();
}
