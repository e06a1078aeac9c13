import { useSyncExternalStore } from 'react';
import type { SessionSnapshot, SessionStore } from '../store/session-store.js';

/** The session's batched, reducer-folded state. */
export function useSession(store: SessionStore): SessionSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
