import type { Session } from './session.js';

export const DEFAULT_MAX_LOADED_SESSIONS = 64;

/**
 * The sessions in memory, least recently used first. Past `max`, idle ones (no subscriber,
 * no run, nothing being written, not pinned by a request) are closed and dropped; opening one
 * again reloads it from its log. A load or a close in flight is shared, so one id never has
 * two live logs.
 */
export class LoadedSessions {
  private readonly map = new Map<string, Session>();
  private readonly loading = new Map<string, Promise<Session>>();
  private readonly closing = new Map<string, Promise<void>>();
  private readonly pins = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly load: (id: string) => Promise<Session>,
    /** May this session leave memory (beyond being idle)? The manager's runs say no. */
    private readonly mayEvict: (session: Session) => boolean,
    /** Called after an evicted session's log is closed. */
    private readonly evicted: (session: Session) => Promise<void>,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The loaded session, without loading or touching it. */
  peek(id: string): Session | undefined {
    return this.map.get(id);
  }

  values(): IterableIterator<Session> {
    return this.map.values();
  }

  /** Adds a session just created or loaded by the caller; it becomes the most recent. */
  add(session: Session): void {
    this.map.delete(session.id);
    this.map.set(session.id, session);
    this.evictExtra(session.id);
  }

  remove(id: string): void {
    this.map.delete(id);
  }

  /** The session, loaded from its log when it is not in memory; it becomes the most recent. */
  async open(id: string): Promise<Session> {
    const closing = this.closing.get(id);
    if (closing) await closing;
    const hit = this.map.get(id);
    if (hit) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit;
    }
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id);
      this.loading.set(id, pending);
      // Registered first, so the session is in the map before any caller resumes.
      pending.then(
        (s) => {
          this.loading.delete(id);
          this.map.set(id, s);
          this.evictExtra(id);
        },
        () => this.loading.delete(id),
      );
    }
    return pending;
  }

  /** Keeps a session in memory while a request works on it. */
  async pinned<T>(id: string, fn: (session: Session) => Promise<T>): Promise<T> {
    this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
    try {
      return await fn(await this.open(id));
    } finally {
      const n = (this.pins.get(id) ?? 1) - 1;
      if (n > 0) this.pins.set(id, n);
      else this.pins.delete(id);
    }
  }

  /** Drops least recently used idle sessions past `max` (never `keep`, the one just used). */
  private evictExtra(keep: string): void {
    if (this.map.size <= this.max) return;
    for (const [id, s] of this.map) {
      if (this.map.size <= this.max) break;
      if (id === keep || this.pins.has(id) || !s.idle || !this.mayEvict(s)) continue;
      this.map.delete(id);
      const done = s
        .close()
        .then(() => this.evicted(s))
        .catch(() => {})
        .finally(() => this.closing.delete(id));
      this.closing.set(id, done);
    }
  }

  /** Waits for evictions in flight (shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.closing.values()]);
  }
}
