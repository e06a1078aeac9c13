import type { RetryInfo } from '@hermes/protocol';
import { countdown } from './duration.js';

/** A retry notice's data as the transcript keeps it: `at` is the notice's time, from which the wait counts. */
export type RetryState = RetryInfo & { at: string };

/** The retry as it is now: still waiting to try again (`delay`), or the new attempt under way (`attempt`). */
export interface RetryNow {
  phase: 'delay' | 'attempt';
  /** For the status line: what is happening now, and why. */
  status: string;
  /** For the waiting row above the input: what is happening now, short. */
  short: string;
}

/**
 * "retrying in 1.4 s (attempt 2/4): rate limited by openai (429)", counting down, then once the
 * wait is over "attempt 2/4: waiting for the model (after: rate limited …)". The notice's own
 * text ("retrying in 2.0 s") is right only at the moment it was written.
 */
export function retryNow(r: RetryState, now: number): RetryNow {
  const at = Date.parse(r.at);
  const left = Number.isNaN(at) ? 0 : at + r.delayMs - now;
  const of = `attempt ${r.attempt}/${r.maxAttempts}`;
  if (left > 0) {
    return {
      phase: 'delay',
      status: `retrying in ${countdown(left)} (${of}): ${r.reason}`,
      short: `retrying in ${countdown(left)} (${of})`,
    };
  }
  return { phase: 'attempt', status: `${of}: waiting for the model (after: ${r.reason})`, short: `waiting for the model (${of})` };
}
