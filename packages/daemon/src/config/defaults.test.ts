import { CONFIG_DEFAULTS } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ITERATIONS } from '../agent/loop.js';
import { DEFAULT_STREAM_INTERVAL_MS } from '../agent/delta-batcher.js';
import { DEFAULT_RETRY_POLICY } from '../provider/retry.js';
import { DEFAULT_TIMEOUTS } from '../provider/types.js';
import { sandboxMode } from '../sandbox/index.js';

describe('CONFIG_DEFAULTS (what `hermes config get --effective` shows)', () => {
  it('is what the daemon really uses for a key that is not set', () => {
    expect(CONFIG_DEFAULTS.agent.maxIterations).toBe(DEFAULT_MAX_ITERATIONS);
    expect(CONFIG_DEFAULTS.agent.streamIntervalMs).toBe(DEFAULT_STREAM_INTERVAL_MS);
    expect(CONFIG_DEFAULTS.retry).toEqual({
      maxRetries: DEFAULT_RETRY_POLICY.maxRetries,
      maxTimeoutRetries: DEFAULT_RETRY_POLICY.maxTimeoutRetries,
      maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
    });
    expect(CONFIG_DEFAULTS.timeouts).toEqual({ firstByteMs: DEFAULT_TIMEOUTS.firstByteMs, idleMs: DEFAULT_TIMEOUTS.idleMs });
    expect(CONFIG_DEFAULTS.sandbox.mode).toBe(sandboxMode({}));
    // The checkpoint limits are read from CONFIG_DEFAULTS itself (checkpoint/store.ts), so only `enabled` is checked here.
    expect(CONFIG_DEFAULTS.checkpoints.enabled).toBe(true);
  });
});
