import type { HermesConfig } from '@hermes/protocol';
import { BUILTIN_PROVIDERS } from '../provider/index.js';

/**
 * The environment the agent's commands run with: the daemon's, minus every provider key.
 * A model that runs `env` must not be able to copy a key into its tool output, and from
 * there into the session log.
 */
/** The names of the variables that hold provider keys. */
export function keyVariables(config: HermesConfig): Set<string> {
  const names = new Set<string>();
  for (const p of Object.values(BUILTIN_PROVIDERS)) if (p.keyEnv) names.add(p.keyEnv);
  for (const p of Object.values(config.providers ?? {})) if (p.apiKeyEnv) names.add(p.apiKeyEnv);
  return names;
}

export function toolEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  config: HermesConfig,
): Record<string, string | undefined> {
  const secret = keyVariables(config);
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (!secret.has(k)) out[k] = v;
  // Commands must never page or prompt: nobody is at their stdin.
  out.PAGER = 'cat';
  out.GIT_PAGER = 'cat';
  out.GIT_TERMINAL_PROMPT = '0';
  return out;
}
