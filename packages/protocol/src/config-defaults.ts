import type { HermesConfig } from './config.js';

/**
 * What the daemon uses for a config key that is not set, for the keys that have a default
 * (`hermes config get --effective`, `hermes config list --defaults`). The daemon's own
 * constants are tested against this table (packages/daemon/src/config/defaults.test.ts).
 */
export const CONFIG_DEFAULTS = {
  approvals: { mode: 'ask' },
  agent: { maxIterations: 50, llmTitles: false, streamIntervalMs: 16, clarify: true },
  timeouts: { firstByteMs: 60_000, idleMs: 90_000 },
  retry: { maxRetries: 3, maxTimeoutRetries: 1, maxDelayMs: 30_000 },
  sandbox: { mode: 'auto', network: false },
  checkpoints: {
    enabled: true,
    maxFileBytes: 5_242_880,
    maxFiles: 20_000,
    timeoutMs: 5000,
    maxPerSession: 100,
    maxAgeDays: 30,
    maxTotalMB: 1024,
  },
  tui: { busyInput: 'queue' },
} as const satisfies HermesConfig;
