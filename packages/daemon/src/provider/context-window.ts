/**
 * Known context windows by model-name prefix, longest prefix first. The vendor part of
 * routed names (`anthropic/claude-…` on OpenRouter) is ignored. Unknown models: undefined.
 */
const WINDOWS: [prefix: string, tokens: number][] = [
  ['gpt-4.1', 1_047_576],
  ['gpt-5', 400_000],
  ['gpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-oss', 131_072],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
  ['claude-sonnet-4', 200_000],
  ['claude-opus-4', 200_000],
  ['claude-haiku-4', 200_000],
  ['claude-3', 200_000],
  ['claude', 200_000],
  ['gemini-2', 1_048_576],
  ['gemini-1.5-pro', 2_097_152],
  ['deepseek', 128_000],
  ['hermes-4', 131_072],
  ['hermes-3', 131_072],
  ['qwen3', 40_960],
  ['qwen2.5', 32_768],
  ['llama3.1', 131_072],
  ['llama3.2', 131_072],
  ['llama-3', 131_072],
  ['mistral', 32_768],
  ['kimi-k2', 131_072],
  ['glm-4', 131_072],
].sort((a, b) => (b[0] as string).length - (a[0] as string).length) as [string, number][];

/** The context window for `provider:model`: the provider config's override, else the table. */
export function contextWindowFor(spec: string, providers?: Record<string, { contextWindow?: number | undefined }>): number | undefined {
  const at = spec.indexOf(':');
  const provider = at === -1 ? '' : spec.slice(0, at);
  return providers?.[provider]?.contextWindow ?? knownContextWindow(at === -1 ? spec : spec.slice(at + 1));
}

export function knownContextWindow(model: string): number | undefined {
  const name = (model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model).toLowerCase();
  for (const [prefix, tokens] of WINDOWS) if (name.startsWith(prefix)) return tokens;
  return undefined;
}
