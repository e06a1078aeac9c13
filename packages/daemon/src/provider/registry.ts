import type { HermesConfig } from '@hermes/protocol';
import { request } from 'undici';
import { ProviderError, hintFor, homeFile } from './errors.js';
import { knownContextWindow } from './context-window.js';

export type ProviderType = 'openai' | 'anthropic';

/** Everything needed to call one model: resolved once per request, never global. */
export interface ResolvedModel {
  /** `provider:model` as given. */
  spec: string;
  provider: string;
  /** The model id on the wire. */
  model: string;
  type: ProviderType;
  baseUrl: string;
  /** Sent only to `baseUrl`: it was resolved together with it. */
  apiKey?: string;
  keyEnv?: string;
  headers: Record<string, string>;
  streamUsage: boolean;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Split a leading `<think>` block out of content. */
  thinkTags: boolean;
  contextWindow?: number;
}

interface Builtin {
  type: ProviderType;
  keyEnv?: string;
  baseUrlEnv?: string;
  baseUrl: (env: Env) => string;
  headers?: Record<string, string>;
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_OLLAMA_HOST = 'http://localhost:11434';

/** `OLLAMA_HOST` may be `host:port` without a scheme, as the ollama CLI accepts it. */
export function ollamaHost(env: Env): string {
  const raw = env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST;
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  return trimSlash(withScheme.replace('://0.0.0.0', '://127.0.0.1'));
}

export const BUILTIN_PROVIDERS: Readonly<Record<string, Builtin>> = {
  openai: {
    type: 'openai',
    keyEnv: 'OPENAI_API_KEY',
    baseUrlEnv: 'OPENAI_BASE_URL',
    baseUrl: (env) => env.OPENAI_BASE_URL || 'https://api.openai.com/v1',
    maxTokensField: 'max_completion_tokens',
  },
  anthropic: {
    type: 'anthropic',
    keyEnv: 'ANTHROPIC_API_KEY',
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    baseUrl: (env) => env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com',
  },
  openrouter: {
    type: 'openai',
    keyEnv: 'OPENROUTER_API_KEY',
    baseUrl: () => 'https://openrouter.ai/api/v1',
    headers: { 'X-Title': 'hermes' },
  },
  nous: {
    type: 'openai',
    keyEnv: 'NOUS_API_KEY',
    baseUrl: () => 'https://inference-api.nousresearch.com/v1',
  },
  ollama: {
    type: 'openai',
    baseUrl: (env) => `${ollamaHost(env)}/v1`,
  },
};

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Splits at the FIRST colon: `ollama:qwen3:8b` is provider `ollama`, model `qwen3:8b`. */
export function parseModelName(spec: string): { provider: string; model: string } | null {
  const at = spec.indexOf(':');
  if (at <= 0 || at === spec.length - 1) return null;
  const provider = spec.slice(0, at);
  if (!/^[A-Za-z0-9_-]+$/.test(provider)) return null;
  return { provider, model: spec.slice(at + 1) };
}

export type Resolution = { ok: true; model: ResolvedModel } | { ok: false; error: ProviderError };

export interface ResolveOptions {
  config?: HermesConfig;
  env: Env;
  /** HERMES_HOME, named in hints. */
  home?: string;
}

function failure(kind: ProviderError['kind'], message: string, hint: string, provider?: string): Resolution {
  return { ok: false, error: new ProviderError({ kind, message, hint, retryable: false, ...(provider ? { provider } : {}) }) };
}

/** The providers a model name may use: the built-ins and the config's own. */
export function knownProviders(config: HermesConfig | undefined): string[] {
  return [...new Set([...Object.keys(BUILTIN_PROVIDERS), ...Object.keys(config?.providers ?? {})])];
}

/**
 * Why a model name cannot be used at all (its provider is unknown), or null. Checked when a
 * model is chosen (a session's, a message's), so `/model nope:x` fails at once, not at the next run.
 */
export function unknownProviderOf(spec: string, config: HermesConfig | undefined, home?: string): string | null {
  const parsed = parseModelName(spec);
  if (!parsed) return `"${spec}" is not a model name: name a model as provider:model, e.g. openai:gpt-4.1`;
  if (knownProviders(config).includes(parsed.provider)) return null;
  return `unknown provider "${parsed.provider}" in ${spec}; known providers: ${knownProviders(config).join(', ')} (add others under \`providers\` in ${homeFile(home, 'config.json')})`;
}

/**
 * Resolves `provider:model` against the built-ins and the config's `providers` (which override
 * or add). A user-defined provider gets a key only through its own `apiKeyEnv`, so a key never
 * follows a name to a different base URL.
 */
export function resolveModel(spec: string | null | undefined, opts: ResolveOptions): Resolution {
  if (!spec) {
    return failure('not_configured', 'no model is configured', hintFor('not_configured', { provider: 'hermes' }));
  }
  const parsed = parseModelName(spec);
  if (!parsed) {
    return failure(
      'invalid_request',
      `"${spec}" is not a model name`,
      'Name a model as provider:model, e.g. openai:gpt-4.1 or ollama:qwen3:8b.',
    );
  }
  const { provider, model } = parsed;
  const env = opts.env;
  const custom = opts.config?.providers?.[provider];
  const builtin = BUILTIN_PROVIDERS[provider];
  let resolved: ResolvedModel;
  if (custom) {
    resolved = {
      spec,
      provider,
      model,
      type: custom.type,
      baseUrl: trimSlash(custom.baseUrl),
      headers: { ...(custom.headers ?? {}) },
      streamUsage: custom.streamUsage ?? true,
      maxTokensField: 'max_tokens',
      thinkTags: true,
    };
    if (custom.apiKeyEnv) resolved.keyEnv = custom.apiKeyEnv;
    if (custom.contextWindow) resolved.contextWindow = custom.contextWindow;
  } else if (builtin) {
    resolved = {
      spec,
      provider,
      model,
      type: builtin.type,
      baseUrl: trimSlash(builtin.baseUrl(env)),
      headers: { ...(builtin.headers ?? {}) },
      streamUsage: true,
      maxTokensField: builtin.maxTokensField ?? 'max_tokens',
      thinkTags: true,
    };
    if (builtin.keyEnv) resolved.keyEnv = builtin.keyEnv;
  } else {
    const known = knownProviders(opts.config).join(', ');
    return failure(
      'not_configured',
      `unknown provider "${provider}"`,
      `Known providers: ${known}. Add others under \`providers\` in ${homeFile(opts.home, 'config.json')}.`,
      provider,
    );
  }
  if (resolved.keyEnv) {
    const key = env[resolved.keyEnv]?.trim();
    if (!key) {
      return failure(
        'auth',
        `${resolved.keyEnv} is not set, so ${provider} cannot be used`,
        `Set ${resolved.keyEnv} in the environment or in ${homeFile(opts.home, '.env')}, or run \`hermes config set model …\` to pick another provider.`,
        provider,
      );
    }
    resolved.apiKey = key;
  }
  const window = resolved.contextWindow ?? knownContextWindow(model);
  if (window !== undefined) resolved.contextWindow = window;
  return { ok: true, model: resolved };
}

/** The request headers for a resolved model: the key goes in the header its API expects. */
export function authHeaders(m: ResolvedModel): Record<string, string> {
  const h: Record<string, string> = {};
  if (m.type === 'anthropic') {
    h['anthropic-version'] = '2023-06-01';
    if (m.apiKey) h['x-api-key'] = m.apiKey;
  } else if (m.apiKey) {
    h.authorization = `Bearer ${m.apiKey}`;
  }
  return { ...m.headers, ...h };
}

/**
 * Asks a local Ollama for its models (GET /api/tags, ~300 ms budget). Returns the first model's
 * name, or null when nothing answers, so the daemon can offer `ollama:<name>` when no model
 * is configured.
 */
export async function probeOllama(host: string, signal?: AbortSignal, timeoutMs = 300): Promise<string | null> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await request(`${trimSlash(host)}/api/tags`, { method: 'GET', signal: ac.signal });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return null;
    }
    const body = (await res.body.json()) as { models?: { name?: unknown; model?: unknown }[] };
    const first = Array.isArray(body.models) ? body.models[0] : undefined;
    const name = first?.name ?? first?.model;
    return typeof name === 'string' && name !== '' ? name : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
