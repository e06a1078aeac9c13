/** Usage a turn reports instead of the computed one. */
export interface ScriptedUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  costUsd?: number;
}

export interface ScriptedToolCall {
  name: string;
  args?: Record<string, unknown>;
  /** Sent verbatim instead of `JSON.stringify(args)`: for unparseable-arguments tests. */
  rawArgs?: string;
  id?: string;
}

interface TurnBase {
  /** Wait before the status line. */
  delayMs?: number;
  /** Pace deltas; default: the server's `tokensPerSecond`, else full speed. */
  tokensPerSecond?: number;
  /** Tokens per delta (default 1). */
  chunkTokens?: number;
  usage?: ScriptedUsage;
}

export type ScriptedTurn =
  | (TurnBase & { type: 'text'; text: string; reasoning?: string })
  | (TurnBase & { type: 'long'; tokens: number })
  | (TurnBase & { type: 'tool_calls'; calls: ScriptedToolCall[]; text?: string; reasoning?: string })
  | (TurnBase & { type: 'http_error'; status: number; body?: unknown; headers?: Record<string, string>; message?: string })
  | (TurnBase & { type: 'stream_error'; afterText?: string; error?: Record<string, unknown> })
  /** No bytes for `ms` (forever when absent), after `afterText` if given; then `text` and a normal finish. */
  | (TurnBase & { type: 'stall'; ms?: number; afterText?: string; text?: string })
  /** Closes the socket in the middle of an event, after `afterText`. */
  | (TurnBase & { type: 'cut'; afterText?: string })
  /** The vendor's 400 "prompt too long" (OpenAI `code: context_length_exceeded`, Anthropic "prompt is too long"). */
  | (TurnBase & { type: 'context_length_exceeded'; tokens?: number; window?: number });

export interface RecordedRequest {
  protocol: 'openai' | 'anthropic';
  path: string;
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { model?: string; messages?: unknown[] };
  model: string;
  turn: ScriptedTurn;
  /** False when the default (echo / slash command) reply was used. */
  scripted: boolean;
  /** The client went away before the reply ended. */
  aborted: boolean;
  completed: boolean;
}

export interface ScriptKey {
  /** Turns for requests whose `model` is exactly this (e.g. `fast` for `scripted:fast`). */
  model?: string;
  /** Turns for conversations whose latest marked user message contains `[[script:NAME]]`. */
  marker?: string;
}

export interface ProviderServerOptions {
  port?: number;
  host?: string;
  tokensPerSecond?: number;
  /** When set, requests without this key (Bearer or x-api-key) get a 401. */
  apiKey?: string;
  /** Per-model windows in tokens (request bytes / 4): a longer request gets `context_length_exceeded` and uses no turn. */
  contextWindows?: Record<string, number>;
}

export interface ProviderServer {
  url: string;
  port: number;
  /** `${url}/v1`: the baseUrl for an `openai` provider. */
  openaiBaseUrl: string;
  /** `url`: the baseUrl for an `anthropic` provider. */
  anthropicBaseUrl: string;
  requests: RecordedRequest[];
  /** Queue turns: by model, by marker, or globally. Each request consumes one. */
  script(turns: ScriptedTurn | ScriptedTurn[], key?: ScriptKey): void;
  /** Sets (or with undefined clears) a model's window; see `contextWindows`. */
  setContextWindow(model: string, tokens: number | undefined): void;
  /** Turns not consumed yet. */
  pending(): number;
  reset(): void;
  readonly openConnections: number;
  close(): Promise<void>;
}

export function startProviderServer(options?: ProviderServerOptions): Promise<ProviderServer>;
export function tokenize(text: string): string[];
export function longText(tokens: number): string;
/** True for hermes' compaction (summary) requests: the system prompt says CONTEXT COMPACTION. */
export function isCompactionRequest(protocol: 'openai' | 'anthropic', body: unknown): boolean;
