import type { ModelListing } from '@hermes/protocol';
import { useCallback, useMemo, useRef } from 'react';
import type { SessionStore } from '../store/session-store.js';

/**
 * The daemon's model list for `/model`, fetched once, on first need (the daemon asks every
 * provider, so not at start-up). `load` calls `onLoaded` when the list arrives; problems are
 * printed as notices.
 */
export function useModelList(store: SessionStore): { list(): ModelListing | null; load(onLoaded: () => void): void } {
  const models = useRef<ModelListing | 'loading' | null>(null);
  const list = useCallback(() => (models.current === 'loading' ? null : models.current), []);
  const load = useCallback(
    (onLoaded: () => void) => {
      if (models.current !== null) return;
      models.current = 'loading';
      store.client.listModels().then(
        (listing) => {
          models.current = listing;
          for (const e of listing.errors) store.print('warn', `${e.provider} did not list its models: ${e.message}`);
          onLoaded();
        },
        (err: unknown) => {
          models.current = null;
          store.print('error', `could not list models: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    },
    [store],
  );
  return useMemo(() => ({ list, load }), [list, load]);
}
