import { formatTokens } from '../../format/tokens.js';
import type { SlashCommand } from './types.js';

export const usageCommand: SlashCommand = {
  name: 'usage',
  description: 'tokens, context and cost of this session',
  run(ctx) {
    const u = ctx.snapshot.transcript.usage;
    const lines = [`input tokens   ${formatTokens(u.inputTokens)}`, `output tokens  ${formatTokens(u.outputTokens)}`];
    if (u.cachedTokens !== undefined) lines.push(`cached tokens  ${formatTokens(u.cachedTokens)}`);
    if (u.contextTokens !== undefined) {
      const pct = u.contextWindow ? ` of ${formatTokens(u.contextWindow)} (${Math.round((u.contextTokens / u.contextWindow) * 100)}%)` : '';
      lines.push(`context        ${formatTokens(u.contextTokens)}${pct}`);
    }
    lines.push(`cost           ${u.costUsd !== undefined ? `$${u.costUsd.toFixed(4)}` : unknownCost(ctx.snapshot.transcript.model)}`);
    ctx.print('plain', lines.join('\n'));
  },
};

/** Where a missing price is set: the `prices` config, per model, in dollars per million tokens. */
export function unknownCost(model: string | null): string {
  const key = model ? `prices.${model.replace(/\./g, '\\.')}` : 'prices.<provider:model>';
  return `unknown: no price for ${model ?? 'this model'} (set it with: hermes config set '${key}' '{"inputPerMTok":2,"outputPerMTok":8}')`;
}
