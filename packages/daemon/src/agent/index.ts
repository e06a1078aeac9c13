import type { Agent } from './types.js';

/** The product agent (the agent runtime lands next; until then runs fail with a clear error). */
export function createAgent(): Agent {
  return {
    run: async () => ({
      stopReason: 'error',
      error: { kind: 'not_configured', message: 'the agent runtime is not built yet', retryable: false },
      usage: { inputTokens: 0, outputTokens: 0 },
    }),
  };
}
