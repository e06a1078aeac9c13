import type { HermesConfig } from '@hermes/protocol';
import { AbortedError, ProviderError, describeKind, isAbortError } from './errors.js';
import type { StreamEvent } from './types.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /**
   * Retries of a timeout (nothing from the provider within timeouts.firstByteMs/idleMs), at
   * most maxRetries. Few: each costs the whole timeout, and a provider that sent nothing for a
   * minute rarely answers the third time (four attempts made a stalled provider fail after
   * four minutes).
   */
  maxTimeoutRetries: number;
  /** Cap on any single wait, retry-after included. */
  maxDelayMs: number;
  /** First backoff step; doubles each retry. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxTimeoutRetries: 1, maxDelayMs: 30_000, baseDelayMs: 1_000 };

export function retryPolicyFrom(config?: HermesConfig['retry']): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    ...(config?.maxRetries !== undefined ? { maxRetries: config.maxRetries } : {}),
    ...(config?.maxTimeoutRetries !== undefined ? { maxTimeoutRetries: config.maxTimeoutRetries } : {}),
    ...(config?.maxDelayMs !== undefined ? { maxDelayMs: config.maxDelayMs } : {}),
  };
}

/**
 * How long to wait before retry number `retry` (1-based). The server's retry-after wins,
 * capped; otherwise exponential backoff with jitter in [½, 1] of the step, so concurrent
 * sessions do not retry in lockstep.
 */
export function retryDelay(retry: number, error: ProviderError, policy: RetryPolicy, random: () => number = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), policy.maxDelayMs);
  const step = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
  return Math.round(step * (0.5 + random() * 0.5));
}

/** Why a call is tried again: "rate limited by openai (429)". */
export function retryReason(error: ProviderError): string {
  const p = error.provider ?? 'the provider';
  const status = error.status ? ` (${error.status})` : '';
  return error.kind === 'rate_limit'
    ? `rate limited by ${p}${status}`
    : error.kind === 'timeout'
      ? error.message
      : error.kind === 'network'
        ? `could not reach ${p}`
        : `${describeKind(error.kind)} from ${p}${status}`;
}

/** "rate limited by openai (429); retrying in 2.0 s (attempt 2/4)" */
export function retryMessage(error: ProviderError, delayMs: number, nextAttempt: number, maxAttempts: number): string {
  return `${retryReason(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${nextAttempt}/${maxAttempts})`;
}

export interface RetryNotice {
  /** Human-readable, for a `notice` event. */
  message: string;
  /** Why (retryReason), without the when. */
  reason: string;
  model: string;
  error: ProviderError;
  /** `retry`: same model again after `delayMs`; `fallback`: switching to `model`. */
  kind: 'retry' | 'fallback';
  delayMs: number;
  attempt: number;
  maxAttempts: number;
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A sleep that rejects with `AbortedError` as soon as the signal aborts. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryOptions {
  model: string;
  fallbackModel?: string | undefined;
  /** One attempt: a fresh stream for `model`. Resolution failures may be thrown as `ProviderError`. */
  call: (model: string) => AsyncIterable<StreamEvent>;
  policy: RetryPolicy;
  signal: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
  sleep?: Sleep;
  random?: () => number;
}

function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError({ kind: 'internal', message, hint: 'This is a bug in hermes; please report it.', retryable: false });
}

/**
 * Drives `call` with retries, then the fallback model once (with its own retries), then
 * throws the final `ProviderError`. Once a text, reasoning or tool event has been yielded,
 * a failure is thrown as is: the caller already showed that output, and a silent second
 * answer would duplicate it.
 */
export async function* streamWithRetry(opts: RetryOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const sleep = opts.sleep ?? abortableSleep;
  const models = opts.fallbackModel && opts.fallbackModel !== opts.model ? [opts.model, opts.fallbackModel] : [opts.model];
  /** Attempts in all for a model whose last attempt failed with `error`. */
  const attemptsFor = (error: ProviderError) =>
    1 + (error.kind === 'timeout' ? Math.min(opts.policy.maxRetries, opts.policy.maxTimeoutRetries) : opts.policy.maxRetries);
  let maxAttempts = opts.policy.maxRetries + 1;
  let firstError: ProviderError | undefined;
  for (const [mi, model] of models.entries()) {
    for (let attempt = 1; ; attempt++) {
      if (opts.signal.aborted) throw new AbortedError();
      let output = false;
      try {
        for await (const ev of opts.call(model)) {
          if (ev.type === 'text' || ev.type === 'reasoning' || ev.type === 'tool_call') output = true;
          yield ev;
        }
        return;
      } catch (err) {
        if (isAbortError(err) || opts.signal.aborted) throw isAbortError(err) ? err : new AbortedError();
        const error = asProviderError(err);
        if (output) throw error;
        maxAttempts = attemptsFor(error);
        if (error.retryable && attempt < maxAttempts) {
          const delayMs = retryDelay(attempt, error, opts.policy, opts.random);
          opts.onRetry?.({
            message: retryMessage(error, delayMs, attempt + 1, maxAttempts),
            reason: retryReason(error),
            model,
            error,
            kind: 'retry',
            delayMs,
            attempt: attempt + 1,
            maxAttempts,
          });
          await sleep(delayMs, opts.signal);
          continue;
        }
        firstError ??= error;
        const next = models[mi + 1];
        if (next === undefined || error.kind === 'internal') throw mi === 0 ? error : annotate(firstError, error, model);
        opts.onRetry?.({
          message: `${error.message}; trying fallback model ${next}`,
          reason: error.message,
          model: next,
          error,
          kind: 'fallback',
          delayMs: 0,
          attempt: 1,
          maxAttempts,
        });
        break;
      }
    }
  }
}

/** The primary model's error says what went wrong; the fallback's failure is added to it. */
function annotate(primary: ProviderError, fallback: ProviderError, fallbackModel: string): ProviderError {
  if (primary === fallback) return primary;
  return new ProviderError({
    kind: primary.kind,
    message: `${primary.message} (fallback ${fallbackModel} failed too: ${fallback.message})`,
    hint: primary.hint,
    retryable: primary.retryable,
    ...(primary.status !== undefined ? { status: primary.status } : {}),
    ...(primary.provider !== undefined ? { provider: primary.provider } : {}),
  });
}
