import type { Usage } from '@hermes/protocol';
import { classifyError, simpleError, type ErrorContext } from './errors.js';
import { SseDecoder, type SseEvent } from './sse.js';
import { finishToolCall, syntheticCallId } from './tool-args.js';
import {
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  type ChatMessage,
  type FinishReason,
  type ProviderBlock,
  type StreamEvent,
  type ToolSpec,
} from './types.js';

type Json = Record<string, unknown>;

export const ANTHROPIC_VERSION = '2023-06-01';

/** Block types that go back to Anthropic verbatim; other providers never see them. */
const OPAQUE_BLOCKS = new Set(['thinking', 'redacted_thinking']);

export interface AnthropicBodyOptions {
  model: string;
  maxTokens?: number;
}

/**
 * The Messages request body. System text goes top-level; tool results become user
 * `tool_result` blocks; adjacent same-role messages merge, because roles must alternate.
 * Thinking blocks go first in an assistant turn, as Anthropic produced them.
 */
export function buildAnthropicBody(messages: ChatMessage[], tools: ToolSpec[], opts: AnthropicBodyOptions): Json {
  const system: string[] = [];
  const wire: { role: 'user' | 'assistant'; content: Json[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: Json[]) => {
    if (blocks.length === 0) return;
    const last = wire.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else wire.push({ role, content: blocks });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        system.push(m.text);
        break;
      case 'user':
        if (m.text !== '') push('user', [{ type: 'text', text: m.text }]);
        break;
      case 'assistant': {
        const blocks: Json[] = [];
        for (const b of m.providerBlocks ?? []) if (typeof b.type === 'string' && OPAQUE_BLOCKS.has(b.type)) blocks.push(b);
        if (m.text !== '') blocks.push({ type: 'text', text: m.text });
        for (const c of m.toolCalls ?? [])
          blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.invalidArgs !== undefined ? {} : c.args });
        push('assistant', blocks);
        break;
      }
      case 'tool': {
        const block: Json = { type: 'tool_result', tool_use_id: m.toolCallId, content: m.content };
        if (m.isError) block.is_error = true;
        push('user', [block]);
        break;
      }
    }
  }
  const body: Json = {
    model: opts.model,
    max_tokens: opts.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: wire,
    stream: true,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (tools.length > 0) body.tools = tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
  return body;
}

const STOP: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'refusal',
  pause_turn: 'pause_turn',
  model_context_window_exceeded: 'context_window_exceeded',
};

type Block =
  | { type: 'text' }
  | { type: 'tool_use'; id: string; name: string; json: string; closed: boolean }
  | { type: 'opaque'; block: Json; index: number; closed: boolean }
  | { type: 'ignored' };

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}
function n(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
}

/**
 * Turns Anthropic Messages SSE events into stream events. Pure; throws `ProviderError` for
 * `error` events and for a stream that ends without `message_stop`.
 */
export class AnthropicAssembler {
  private blocks = new Map<number, Block>();
  private stop: string | null = null;
  /** Usage fields as last reported: `message_delta` counts are cumulative, so they overwrite. */
  private raw: Record<string, number> = {};
  private hasUsage = false;
  private done = false;
  private started = false;
  private readonly newId: () => string;

  constructor(
    private readonly ctx: ErrorContext,
    opts: { newId?: () => string } = {},
  ) {
    this.newId = opts.newId ?? syntheticCallId;
  }

  get finished(): boolean {
    return this.done;
  }

  handle(ev: SseEvent): StreamEvent[] {
    if (this.done) return [];
    let data: Json | undefined;
    try {
      data = obj(JSON.parse(ev.data));
    } catch {
      data = undefined;
    }
    const type = typeof data?.type === 'string' ? data.type : ev.event;
    if (type === 'error' || ev.error !== undefined) {
      throw classifyError({ status: 0, parsed: data ?? { message: ev.error ?? ev.data } }, this.ctx);
    }
    if (!data) {
      if (type === 'ping') return [];
      throw simpleError(
        'invalid_response',
        `${this.ctx.provider} sent a stream event that is not JSON: ${ev.data.slice(0, 120)}`,
        this.ctx,
        true,
      );
    }
    const out: StreamEvent[] = [];
    switch (type) {
      case 'message_start': {
        this.started = true;
        const usage = obj(obj(data.message)?.usage);
        if (usage) this.takeUsage(usage, out);
        break;
      }
      case 'content_block_start': {
        const index = n(data.index) ?? this.blocks.size;
        const cb = obj(data.content_block) ?? {};
        if (cb.type === 'text') {
          this.blocks.set(index, { type: 'text' });
          if (typeof cb.text === 'string' && cb.text !== '') out.push({ type: 'text', text: cb.text });
        } else if (cb.type === 'tool_use') {
          // The start block's `input` is always `{}`; the real input streams as JSON deltas.
          this.blocks.set(index, {
            type: 'tool_use',
            id: typeof cb.id === 'string' ? cb.id : '',
            name: typeof cb.name === 'string' ? cb.name : '',
            json: '',
            closed: false,
          });
        } else if (cb.type === 'thinking' || cb.type === 'redacted_thinking') {
          this.blocks.set(index, { type: 'opaque', block: { ...cb }, index, closed: false });
          if (cb.type === 'thinking' && typeof cb.thinking === 'string' && cb.thinking !== '')
            out.push({ type: 'reasoning', text: cb.thinking });
        } else {
          // server_tool_use, web_search_tool_result, future types: not client tool calls.
          this.blocks.set(index, { type: 'ignored' });
        }
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks.get(n(data.index) ?? -1);
        const delta = obj(data.delta) ?? {};
        if (!block) break;
        if (delta.type === 'text_delta' && typeof delta.text === 'string') {
          if (delta.text !== '') out.push({ type: 'text', text: delta.text });
        } else if (delta.type === 'input_json_delta' && block.type === 'tool_use' && typeof delta.partial_json === 'string') {
          block.json += delta.partial_json;
        } else if (delta.type === 'thinking_delta' && block.type === 'opaque' && typeof delta.thinking === 'string') {
          block.block.thinking = String(block.block.thinking ?? '') + delta.thinking;
          if (delta.thinking !== '') out.push({ type: 'reasoning', text: delta.thinking });
        } else if (delta.type === 'signature_delta' && block.type === 'opaque' && typeof delta.signature === 'string') {
          block.block.signature = String(block.block.signature ?? '') + delta.signature;
        }
        break;
      }
      case 'content_block_stop': {
        const block = this.blocks.get(n(data.index) ?? -1);
        if (block?.type === 'tool_use' && !block.closed) {
          block.closed = true;
          out.push({ type: 'tool_call', call: finishToolCall(block.id || this.newId(), block.name, block.json) });
        } else if (block?.type === 'opaque') {
          block.closed = true;
        }
        break;
      }
      case 'message_delta': {
        const d = obj(data.delta);
        if (d && typeof d.stop_reason === 'string') this.stop = d.stop_reason;
        const usage = obj(data.usage);
        if (usage) this.takeUsage(usage, out);
        break;
      }
      case 'message_stop':
        this.done = true;
        out.push(...this.finish());
        break;
      default:
        break; // ping and event types added later
    }
    return out;
  }

  /** At EOF: a stream that never reached `message_stop` was cut. */
  end(): StreamEvent[] {
    if (this.done) return [];
    throw simpleError(
      'truncated_stream',
      this.started ? `the stream from ${this.ctx.provider} ended before message_stop` : `${this.ctx.provider} returned an empty stream`,
      this.ctx,
    );
  }

  private finish(): StreamEvent[] {
    const out: StreamEvent[] = [];
    const blocks = [...this.blocks.entries()].sort((a, b) => a[0] - b[0]);
    let calls = 0;
    const opaque: ProviderBlock[] = [];
    for (const [, b] of blocks) {
      if (b.type === 'tool_use') {
        calls++;
        // A tool block cut by max_tokens never got its stop: flag it, never execute it.
        if (!b.closed) {
          const call = finishToolCall(b.id || this.newId(), b.name, b.json);
          out.push({ type: 'tool_call', call: call.invalidArgs !== undefined ? call : { ...call, args: {}, invalidArgs: b.json } });
        }
      } else if (b.type === 'opaque') {
        opaque.push(b.block);
      }
    }
    let reason: FinishReason = this.stop === null ? 'stop' : (STOP[this.stop] ?? 'other');
    if (calls > 0 && reason === 'stop') reason = 'tool_calls';
    const done: StreamEvent =
      opaque.length > 0 ? { type: 'done', finishReason: reason, providerBlocks: opaque } : { type: 'done', finishReason: reason };
    out.push(done);
    return out;
  }

  private takeUsage(u: Json, out: StreamEvent[]): void {
    for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens']) {
      const v = n(u[key]);
      if (v !== undefined) this.raw[key] = v;
    }
    if (this.raw.input_tokens === undefined && this.raw.output_tokens === undefined) return;
    this.hasUsage = true;
    const read = this.raw.cache_read_input_tokens ?? 0;
    // Anthropic's input_tokens excludes cache reads and writes; report the whole prompt, like OpenAI.
    const usage: Usage = {
      inputTokens: (this.raw.input_tokens ?? 0) + read + (this.raw.cache_creation_input_tokens ?? 0),
      outputTokens: this.raw.output_tokens ?? 0,
    };
    if (this.raw.cache_read_input_tokens !== undefined) usage.cachedTokens = read;
    out.push({ type: 'usage', usage });
  }

  /** Whether any usage was seen; the provider always sends it, but a cut stream may not. */
  get sawUsage(): boolean {
    return this.hasUsage;
  }
}

export async function* decodeAnthropicStream(
  chunks: AsyncIterable<Uint8Array>,
  ctx: ErrorContext,
  opts: { newId?: () => string } = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  const sse = new SseDecoder();
  const asm = new AnthropicAssembler(ctx, opts);
  for await (const chunk of chunks) {
    for (const ev of sse.push(chunk)) yield* asm.handle(ev);
    if (asm.finished) break;
  }
  if (!asm.finished) for (const ev of sse.end().events) yield* asm.handle(ev);
  yield* asm.end();
}
