import type { HermesConfig, ModelListing } from '@hermes/protocol';
import { request } from 'undici';
import { authHeaders, BUILTIN_PROVIDERS, parseModelName, resolveModel } from './registry.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A provider's model list is asked for at most this long; the picker must open quickly. */
const LIST_TIMEOUT_MS = 2500;
const MAX_BODY = 4 * 1024 * 1024;

/** The model a session without its own uses: config `model`, else HERMES_MODEL; null when neither is set. */
export function defaultModelOf(config: HermesConfig, env: Env): string | null {
  return config.model ?? (env.HERMES_MODEL?.trim() || null);
}

/**
 * What `/model` can offer: the configured model and fallback, the models sessions use, and every
 * model that a usable provider (its key set, or keyless) lists at `GET …/models`. A model whose
 * provider cannot be used (unknown, no key) or did not answer is not offered: picking it would
 * only fail at the next message. Why is in `errors` (providers without a key that nothing refers
 * to are skipped quietly). `default` is what a session without its own model uses.
 */
export async function listModels(input: { config: HermesConfig; env: Env; sessionModels: string[] }): Promise<ModelListing> {
  const wanted: { id: string; source: 'config' | 'session' | 'provider' }[] = [];
  const add = (id: string | null | undefined, source: 'config' | 'session' | 'provider') => {
    if (id && parseModelName(id) && !wanted.some((w) => w.id === id)) wanted.push({ id, source });
  };
  add(input.config.model, 'config');
  add(input.config.fallbackModel, 'config');
  for (const m of input.sessionModels) add(m, 'session');
  const referred = new Set(wanted.map((w) => parseModelName(w.id)!.provider));
  const providers = [...new Set([...Object.keys(BUILTIN_PROVIDERS), ...Object.keys(input.config.providers ?? {}), ...referred])];
  const errors: ModelListing['errors'] = [];
  const usable = new Set<string>();
  const lists = await Promise.all(
    providers.map(async (provider) => {
      const r = resolveModel(`${provider}:_`, { config: input.config, env: input.env });
      if (!r.ok) {
        if (referred.has(provider)) errors.push({ provider, message: r.error.message });
        return { provider, ids: [] as string[] };
      }
      try {
        const ids = await fetchModelIds(
          r.model.type === 'anthropic' ? `${r.model.baseUrl}/v1/models` : `${r.model.baseUrl}/models`,
          authHeaders(r.model),
        );
        usable.add(provider);
        return { provider, ids };
      } catch (err) {
        // A local server that is not running (ollama by default) is not worth a warning.
        if (provider !== 'ollama' || input.config.providers?.ollama || referred.has(provider))
          errors.push({ provider, message: (err as Error).message });
        return { provider, ids: [] as string[] };
      }
    }),
  );
  for (const { provider, ids } of lists) for (const id of ids.sort()) add(`${provider}:${id}`, 'provider');
  const models = wanted.filter((w) => usable.has(parseModelName(w.id)!.provider));
  return { models, errors, default: defaultModelOf(input.config, input.env) };
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
