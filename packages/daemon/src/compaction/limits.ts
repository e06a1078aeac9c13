import type { HermesConfig } from '@hermes/protocol';

export const DEFAULT_THRESHOLD = 0.85;
export const DEFAULT_RESERVE_TOKENS = 8000;

/** The context size at which to compact: the threshold of the window less the output reserve. Unknown window: never (only on overflow). */
export function autoLimit(window: number | undefined, cfg: HermesConfig['compaction']): number | undefined {
  if (!window) return undefined;
  const reserve = Math.min(cfg?.reserveTokens ?? DEFAULT_RESERVE_TOKENS, Math.floor(window / 4));
  return Math.floor((cfg?.threshold ?? DEFAULT_THRESHOLD) * (window - reserve));
}
