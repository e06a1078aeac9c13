import type { HermesConfig } from '@hermes/protocol';
import type { Dispatcher } from 'undici';
import { buildAnthropicBody, decodeAnthropicStream } from './anthropic.js';
import type { ErrorContext } from './errors.js';
import { postStream } from './http.js';
import { buildOpenAIBody, decodeOpenAIStream } from './openai.js';
import { authHeaders, resolveModel, type ResolvedModel } from './registry.js';
import { retryPolicyFrom, streamWithRetry, type RetryNotice, type Sleep } from './retry.js';
import { DEFAULT_TIMEOUTS, type ChatRequest, type StreamEvent, type StreamTimeouts } from './types.js';

export interface StreamChatOptions {
  timeouts?: Partial<StreamTimeouts>;
  dispatcher?: Dispatcher;
  /** HERMES_HOME, named in hints. */
  home?: string;
}

export function errorContext(m: ResolvedModel, home?: string): ErrorContext {
  const ctx: ErrorContext = { provider: m.provider, model: m.model, baseUrl: m.baseUrl, secrets: m.apiKey ? [m.apiKey] : [] };
  if (m.keyEnv) ctx.keyEnv = m.keyEnv;
  if (home) ctx.home = home;
  return ctx;
}

/**
 * One streaming call to a resolved model, no retries. Yields text/reasoning deltas, complete
 * tool calls, usage, then `done`; throws `ProviderError` on failure (after yielding whatever
 * partial output arrived) and `AbortedError` when `request.signal` aborts. Breaking out of the
 * loop or aborting closes the connection.
 */
export function streamChat(
  m: ResolvedModel,
  request: ChatRequest,
  opts: StreamChatOptions = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  const ctx = errorContext(m, opts.home);
  const timeouts: StreamTimeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(opts.timeouts ?? {}) };
  const common = {
    signal: request.signal,
    timeouts,
    ctx,
    headers: authHeaders(m),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  };
  if (m.type === 'anthropic') {
    const body = buildAnthropicBody(request.messages, request.tools, {
      model: m.model,
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
    });
    return decodeAnthropicStream(postStream({ ...common, url: `${m.baseUrl}/v1/messages`, body }), ctx);
  }
  const body = buildOpenAIBody(request.messages, request.tools, {
    model: m.model,
    streamUsage: m.streamUsage,
    maxTokensField: m.maxTokensField,
    ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
  });
  return decodeOpenAIStream(postStream({ ...common, url: `${m.baseUrl}/chat/completions`, body }), ctx, { thinkTags: m.thinkTags });
}

function definedOnly<T extends object>(o: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface StreamModelOptions {
  config?: HermesConfig;
  env: Readonly<Record<string, string | undefined>>;
  /** Defaults to `config.fallbackModel`. */
  fallbackModel?: string;
  onRetry?: (notice: RetryNotice) => void;
  dispatcher?: Dispatcher;
  sleep?: Sleep;
  /** HERMES_HOME, named in hints. */
  home?: string;
}

/**
 * What the agent loop calls once per model turn: resolves `request.model` (and the fallback)
 * through the registry, applies config timeouts, `agent.maxOutputTokens` and the retry policy.
 * Resolution failures (`not_configured`, missing key) are thrown as `ProviderError`s too.
 */
export function streamModel(request: ChatRequest, opts: StreamModelOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const config = opts.config;
  const timeouts: Partial<StreamTimeouts> = {};
  if (config?.timeouts?.firstByteMs) timeouts.firstByteMs = config.timeouts.firstByteMs;
  if (config?.timeouts?.idleMs) timeouts.idleMs = config.timeouts.idleMs;
  const maxTokens = request.maxTokens ?? config?.agent?.maxOutputTokens;
  return streamWithRetry({
    model: request.model,
    fallbackModel: opts.fallbackModel ?? config?.fallbackModel,
    policy: retryPolicyFrom(config?.retry),
    signal: request.signal,
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    call: (spec) => {
      const home = opts.home !== undefined ? { home: opts.home } : {};
      const r = resolveModel(spec, { env: opts.env, ...(config ? { config } : {}), ...home });
      if (!r.ok) throw r.error;
      return streamChat(
        r.model,
        { ...request, model: spec, ...(maxTokens !== undefined ? { maxTokens } : {}) },
        { timeouts, ...home, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) },
      );
    },
  });
}
