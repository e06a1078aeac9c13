import { describe, expect, it } from 'vitest';
import { retryNow } from './retry.js';

const at = '2026-12-01T12:00:00.000Z';
const t0 = Date.parse(at);
const r = { attempt: 2, maxAttempts: 4, delayMs: 2000, reason: 'rate limited by openai (429)', at };

describe('retryNow', () => {
  it('counts the wait down from the notice, then says the new attempt is waiting', () => {
    expect(retryNow(r, t0).status).toBe('retrying in 2.0 s (attempt 2/4): rate limited by openai (429)');
    expect(retryNow(r, t0 + 650).status).toBe('retrying in 1.4 s (attempt 2/4): rate limited by openai (429)');
    expect(retryNow(r, t0 + 1999)).toMatchObject({ phase: 'delay', short: 'retrying in 0.1 s (attempt 2/4)' });
    // The notice said "retrying in 2.0 s"; once that is past it must not be repeated.
    const after = retryNow(r, t0 + 2000);
    expect(after).toEqual({
      phase: 'attempt',
      status: 'attempt 2/4: waiting for the model (after: rate limited by openai (429))',
      short: 'waiting for the model (attempt 2/4)',
    });
    expect(retryNow(r, t0 + 90_000).status).not.toMatch(/retrying in/);
  });

  it('long waits in whole seconds; a zero wait or an unreadable time is the attempt at once', () => {
    expect(retryNow({ ...r, delayMs: 30_000 }, t0 + 100).short).toBe('retrying in 30 s (attempt 2/4)');
    expect(retryNow({ ...r, delayMs: 0 }, t0).phase).toBe('attempt');
    expect(retryNow({ ...r, at: 'not a time' }, t0).phase).toBe('attempt');
  });
});
