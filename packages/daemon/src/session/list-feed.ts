import type { SessionListEvent, SessionSummary } from '@hermes/protocol';

/**
 * The session list's change feed (`GET /v1/events`): remembers what it last published of each
 * loaded session, so a commit announces a title/model or status change once, and nothing else.
 */
export class ListFeed {
  private readonly listeners = new Set<(e: SessionListEvent) => void>();
  private readonly published = new Map<string, { meta: string; status: string }>();

  on(listener: (e: SessionListEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: SessionListEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** A session as it stands now, published from here on without an event (it was loaded, not changed). */
  seen(s: SessionSummary): void {
    this.published.set(s.id, stateOf(s));
  }

  forget(id: string): void {
    this.published.delete(id);
  }

  /** After a commit: publishes what changed since the last one. A session not seen yet is one being created (create() announces it). */
  changed(s: SessionSummary): void {
    const now = stateOf(s);
    const prev = this.published.get(s.id);
    this.published.set(s.id, now);
    if (prev === undefined) return;
    if (prev.meta !== now.meta) this.emit({ type: 'session.updated', session: s });
    if (prev.status !== now.status) this.emit({ type: 'session.status', session: s });
  }
}

const stateOf = (s: SessionSummary) => ({ meta: `${s.title}\u0000${s.model}`, status: s.status });
