import type { HermesConfig, Usage } from '@hermes/protocol';

/** Adds two usage reports; a cost is kept only when both sides know theirs. */
export function addUsage(a: Usage, b: Usage): Usage {
  const cached = (a.cachedTokens ?? 0) + (b.cachedTokens ?? 0);
  const out: Usage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  if (cached > 0) out.cachedTokens = cached;
  if (a.costUsd !== undefined || b.costUsd !== undefined) out.costUsd = (a.costUsd ?? 0) + (b.costUsd ?? 0);
  return out;
}

/**
 * The cost of one call: the provider's own figure when it reports one (OpenRouter), else the
 * config's price table (per million tokens, keyed by `provider:model`), else unknown.
 */
export function priceCall(usage: Usage, model: string, config: HermesConfig): Usage {
  if (usage.costUsd !== undefined) return usage;
  const price = config.prices?.[model];
  if (!price) return usage;
  const cached = usage.cachedTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - cached);
  const parts: [tokens: number, perMTok: number | undefined][] = [
    [fresh, price.inputPerMTok],
    [cached, price.cachedInputPerMTok ?? price.inputPerMTok],
    [usage.outputTokens, price.outputPerMTok],
  ];
  // A price set only in part (one field at a time): unknown until every kind used has one.
  if (parts.some(([tokens, per]) => tokens > 0 && per === undefined)) return usage;
  const cost = parts.reduce((sum, [tokens, per]) => sum + tokens * (per ?? 0), 0) / 1_000_000;
  return { ...usage, costUsd: cost };
}
