import type { HermesConfig, ModelListing } from '@hermes/protocol';
import { request } from 'undici';
import { authHeaders, BUILTIN_PROVIDERS, parseModelName, resolveModel } from './registry.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A provider's model list is asked for at most this long; the picker must open quickly. */
const LIST_TIMEOUT_MS = 2500;
const MAX_BODY = 4 * 1024 * 1024;

/**
 * What `/model` can offer: the configured model and fallback, the models sessions use, and every
 * model that a usable provider (its key set, or keyless) lists at `GET …/models`. Providers
 * without a key are skipped quietly; one that fails to answer is reported, not fatal.
 */
export async function listModels(input: { config: HermesConfig; env: Env; sessionModels: string[] }): Promise<ModelListing> {
  const seen = new Map<string, ModelListing['models'][number]>();
  const add = (id: string | null | undefined, source: 'config' | 'session' | 'provider') => {
    if (id && parseModelName(id) && !seen.has(id)) seen.set(id, { id, source });
  };
  add(input.config.model, 'config');
  add(input.config.fallbackModel, 'config');
  for (const m of input.sessionModels) add(m, 'session');
  const providers = [...new Set([...Object.keys(BUILTIN_PROVIDERS), ...Object.keys(input.config.providers ?? {})])];
  const errors: ModelListing['errors'] = [];
  const lists = await Promise.all(
    providers.map(async (provider) => {
      const r = resolveModel(`${provider}:_`, { config: input.config, env: input.env });
      if (!r.ok) return { provider, ids: [] as string[] };
      try {
        return { provider, ids: await fetchModelIds(r.model.type === 'anthropic' ? `${r.model.baseUrl}/v1/models` : `${r.model.baseUrl}/models`, authHeaders(r.model)) };
      } catch (err) {
        // A local server that is not running (ollama by default) is not worth a warning.
        if (provider !== 'ollama' || input.config.providers?.ollama) errors.push({ provider, message: (err as Error).message });
        return { provider, ids: [] as string[] };
      }
    }),
  );
  for (const { provider, ids } of lists) for (const id of ids.sort()) add(`${provider}:${id}`, 'provider');
  return { models: [...seen.values()], errors };
}

async function fetchModelIds(url: string, headers: Record<string, string>): Promise<string[]> {
  const res = await request(url, { method: 'GET', headers, signal: AbortSignal.timeout(LIST_TIMEOUT_MS) });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`${url} answered ${res.statusCode}`);
  }
  const text = await res.body.text();
  if (text.length > MAX_BODY) throw new Error(`${url}: the model list is too large`);
  const body = JSON.parse(text) as { data?: unknown };
  if (!Array.isArray(body.data)) throw new Error(`${url}: not a model list`);
  return body.data.flatMap((m: unknown) => {
    const id = (m as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id !== '' ? [id] : [];
  });
}
