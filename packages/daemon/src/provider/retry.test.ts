import { describe, expect, it } from 'vitest';
import { ProviderError, isAbortError } from './errors.js';
import { retryDelay, retryMessage, retryPolicyFrom, streamWithRetry, abortableSleep, type RetryNotice } from './retry.js';
import type { StreamEvent } from './types.js';

const err = (kind: ProviderError['kind'], retryable: boolean, extra: { retryAfterMs?: number; status?: number } = {}) =>
  new ProviderError({ kind, message: `${kind}!`, hint: 'h', retryable, provider: 'openai', ...extra });

type Step = ProviderError | StreamEvent[] | { events: StreamEvent[]; then: ProviderError };

/** A fake provider: each call plays the next step for its model. */
function fake(steps: Record<string, Step[]>) {
  const calls: string[] = [];
  const call = (model: string): AsyncIterable<StreamEvent> => {
    calls.push(model);
    const step = steps[model]?.shift();
    return (async function* () {
      if (!step) throw new Error(`no step for ${model}`);
      if (step instanceof ProviderError) throw step;
      const events = Array.isArray(step) ? step : step.events;
      for (const e of events) yield e;
      if (!Array.isArray(step)) throw step.then;
    })();
  };
  return { calls, call };
}

async function drive(
  steps: Record<string, Step[]>,
  opts: { maxRetries?: number; maxTimeoutRetries?: number; maxDelayMs?: number; fallbackModel?: string } = {},
) {
  const f = fake(steps);
  const sleeps: number[] = [];
  const notices: RetryNotice[] = [];
  const events: StreamEvent[] = [];
  let error: unknown;
  try {
    for await (const e of streamWithRetry({
      model: 'openai:a',
      fallbackModel: opts.fallbackModel,
      call: f.call,
      policy: {
        ...retryPolicyFrom({
          maxRetries: opts.maxRetries ?? 3,
          maxDelayMs: opts.maxDelayMs ?? 30_000,
          ...(opts.maxTimeoutRetries !== undefined ? { maxTimeoutRetries: opts.maxTimeoutRetries } : {}),
        }),
      },
      signal: new AbortController().signal,
      onRetry: (n) => notices.push(n),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    }))
      events.push(e);
  } catch (e) {
    error = e;
  }
  return { calls: f.calls, sleeps, notices, events, error };
}

const ok: StreamEvent[] = [
  { type: 'text', text: 'hi' },
  { type: 'done', finishReason: 'stop' },
];

describe('streamWithRetry', () => {
  it('retries a 429 and then succeeds, announcing the retry', async () => {
    const r = await drive({ 'openai:a': [err('rate_limit', true, { status: 429 }), ok] });
    expect(r.events).toEqual(ok);
    expect(r.calls).toEqual(['openai:a', 'openai:a']);
    expect(r.sleeps).toEqual([1000]);
    expect(r.notices[0]?.message).toBe('rate limited by openai (429); retrying in 1.0 s (attempt 2/4)');
  });

  it('honours retry-after, capped by maxDelayMs', async () => {
    const r = await drive(
      { 'openai:a': [err('rate_limit', true, { retryAfterMs: 2500 }), err('rate_limit', true, { retryAfterMs: 120_000 }), ok] },
      { maxDelayMs: 5000 },
    );
    expect(r.sleeps).toEqual([2500, 5000]);
    expect(r.events).toEqual(ok);
  });

  it('backs off exponentially and gives up after maxRetries', async () => {
    const e = err('server_error', true);
    const r = await drive({ 'openai:a': [e, e, e, e] });
    expect(r.sleeps).toEqual([1000, 2000, 4000]);
    expect(r.calls).toHaveLength(4);
    expect(r.error).toBe(e);
  });

  it('retries a timeout once only (each attempt costs the whole timeout), saying why', async () => {
    const timeout = new ProviderError({
      kind: 'timeout',
      message: 'openai sent nothing for 60.0 s (first byte timeout)',
      hint: 'h',
      retryable: true,
      provider: 'openai',
    });
    const r = await drive({ 'openai:a': [timeout, timeout, ok] });
    expect(r.calls).toEqual(['openai:a', 'openai:a']);
    expect(r.error).toBe(timeout);
    expect(r.notices.map((n) => n.message)).toEqual([
      'openai sent nothing for 60.0 s (first byte timeout); retrying in 1.0 s (attempt 2/2)',
    ]);
    // Other errors keep their retries.
    const e = err('server_error', true);
    expect((await drive({ 'openai:a': [e, e, e, ok] })).events).toEqual(ok);
  });

  it('retry.maxTimeoutRetries sets how often a timeout is retried, never above maxRetries', async () => {
    const timeout = err('timeout', true);
    const twice = await drive({ 'openai:a': [timeout, timeout, ok] }, { maxTimeoutRetries: 2 });
    expect(twice.events).toEqual(ok);
    expect(twice.notices.map((n) => n.maxAttempts)).toEqual([3, 3]);
    const capped = await drive({ 'openai:a': [timeout, timeout, ok] }, { maxRetries: 1, maxTimeoutRetries: 5 });
    expect(capped.calls).toHaveLength(2);
    expect(capped.error).toBe(timeout);
  });

  it('never retries once output was yielded', async () => {
    const e = err('truncated_stream', true);
    const r = await drive({ 'openai:a': [{ events: [{ type: 'text', text: 'par' }], then: e }, ok] }, { fallbackModel: 'openai:b' });
    expect(r.events).toEqual([{ type: 'text', text: 'par' }]);
    expect(r.error).toBe(e);
    expect(r.calls).toEqual(['openai:a']);
  });

  it('does not retry quota, then tries the fallback model once through the same machinery', async () => {
    const r = await drive(
      { 'openai:a': [err('quota_exhausted', false)], 'anthropic:b': [err('overloaded', true), ok] },
      { fallbackModel: 'anthropic:b' },
    );
    expect(r.calls).toEqual(['openai:a', 'anthropic:b', 'anthropic:b']);
    expect(r.notices.map((n) => n.kind)).toEqual(['fallback', 'retry']);
    expect(r.events).toEqual(ok);
  });

  it('returns the primary error, annotated, when the fallback fails too', async () => {
    const r = await drive({ 'openai:a': [err('auth', false)], 'openai:b': [err('invalid_request', false)] }, { fallbackModel: 'openai:b' });
    expect(r.error).toBeInstanceOf(ProviderError);
    expect((r.error as ProviderError).kind).toBe('auth');
    expect((r.error as ProviderError).message).toContain('fallback openai:b failed too');
  });

  it('treats a resolution failure thrown by the call like any error', async () => {
    const f = { calls: 0 };
    const it = streamWithRetry({
      model: 'x:y',
      call: () => {
        f.calls++;
        throw err('not_configured', false);
      },
      policy: retryPolicyFrom(),
      signal: new AbortController().signal,
    });
    await expect(it.next()).rejects.toMatchObject({ kind: 'not_configured' });
    expect(f.calls).toBe(1);
  });

  it('aborts a backoff sleep as soon as the signal fires', async () => {
    const ac = new AbortController();
    const it = streamWithRetry({
      model: 'openai:a',
      call: fake({ 'openai:a': [err('rate_limit', true, { retryAfterMs: 60_000 }), ok] }).call,
      policy: retryPolicyFrom(),
      signal: ac.signal,
      onRetry: () => setTimeout(() => ac.abort(), 5),
    });
    const e = await it.next().catch((x: unknown) => x);
    expect(isAbortError(e)).toBe(true);
    await expect(abortableSleep(10, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('retry policy', () => {
  it('jitters within [½, 1] of the step and prefers retry-after', () => {
    const p = retryPolicyFrom();
    expect(retryDelay(1, err('server_error', true), p, () => 0)).toBe(500);
    expect(retryDelay(3, err('server_error', true), p, () => 1)).toBe(4000);
    expect(retryDelay(10, err('server_error', true), p, () => 1)).toBe(30_000);
    expect(retryDelay(1, err('rate_limit', true, { retryAfterMs: 7000 }), p)).toBe(7000);
    expect(retryMessage(err('overloaded', true, { status: 529 }), 2000, 2, 4)).toBe(
      'overloaded from openai (529); retrying in 2.0 s (attempt 2/4)',
    );
  });
});
