import type { ToolCall, Usage } from '@hermes/protocol';

/** An opaque provider block (an Anthropic thinking block with its signature): sent back unchanged. */
export type ProviderBlock = Record<string, unknown>;

export interface SystemMessage {
  role: 'system';
  text: string;
}

export interface UserMessage {
  role: 'user';
  text: string;
}

export interface AssistantMessage {
  role: 'assistant';
  text: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
  /** Blocks the provider needs back verbatim and in order on the next request. */
  providerBlocks?: ProviderBlock[];
}

export interface ToolResultMessage {
  role: 'tool';
  toolCallId: string;
  content: string;
  isError?: boolean;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage;

/** A tool the model may call; `parameters` is a JSON schema of an object. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  /** `provider:model`, as the registry resolves it. */
  model: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxTokens?: number;
  signal: AbortSignal;
}

/**
 * Why the model stopped, provider-neutral. `tool_calls` is derived from the assembled calls,
 * not trusted from the wire (several servers say `stop` while calling tools).
 */
export type FinishReason =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'content_filter'
  | 'refusal'
  | 'pause_turn'
  | 'context_window_exceeded'
  | 'other';

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** A complete call. `invalidArgs` set means the arguments did not parse: never execute it. */
  | { type: 'tool_call'; call: ToolCall }
  /** The latest usage the provider reported (cumulative for the request, replaces earlier ones). */
  | { type: 'usage'; usage: Usage }
  | { type: 'done'; finishReason: FinishReason; providerBlocks?: ProviderBlock[] };

/** Provider-call timeouts; see `DEFAULT_TIMEOUTS`. */
export interface StreamTimeouts {
  /** From sending the request to the first body byte. */
  firstByteMs: number;
  /** Between two reads of the body; SSE comments count as bytes, so keep-alives reset it. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: StreamTimeouts = { firstByteMs: 60_000, idleMs: 90_000 };
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;
