import { rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  EventDraft,
  AnyEnvelope,
  CreateSessionRequest,
  HelloResponse,
  ListSessionsResponse,
  PatchSessionRequest,
  SearchEnd,
  SearchHit,
  SessionListEvent,
  SessionSummary,
} from '@hermes/protocol';
import type { Logger } from '../util/log.js';
import { newSessionId } from '../util/ids.js';
import { Session } from './session.js';
import { unknownProviderOf } from '../provider/registry.js';
import type { RunEnvironment } from './run.js';
import type { StorageLayer } from '../store/file-layer.js';
import { RunMarkers } from '../store/run-markers.js';
import { SessionIndex, type IndexEntry } from '../store/session-index.js';
import { searchLogs } from '../store/search.js';
import { DEFAULT_MAX_LOADED_SESSIONS, LoadedSessions } from './loaded-sessions.js';
import { compareRecent, pageSessions, type ListQuery } from './list-query.js';
import { entryOf } from './startup.js';
import { ListFeed } from './list-feed.js';
import { fail, ok, type ManagerError, type Result } from './result.js';

export const DEFAULT_TITLE = 'New session';

export interface ManagerOptions {
  storage?: StorageLayer;
  /** Where the index and run markers live (default `<dir>/.state`). */
  stateDir?: string;
  maxLoadedSessions?: number;
}

/**
 * Every session, without their runs: the index of all of them, the few loaded in memory
 * (opened on demand, least recently used evicted), the list feed, creating, renaming and
 * deleting. The manager adds the runs (`busy`, `committed`).
 */
export abstract class SessionRegistry {
  protected readonly loaded: LoadedSessions;
  protected readonly index: SessionIndex;
  protected readonly markers: RunMarkers;
  /** Approval rules granted with `session` answers, per session: they outlive an eviction. */
  protected readonly rules = new Map<string, Set<string>>();
  private readonly feed = new ListFeed();
  private readonly storage: StorageLayer | undefined;

  constructor(
    protected readonly dir: string,
    protected readonly env: RunEnvironment,
    protected readonly log: Logger,
    opts: ManagerOptions = {},
  ) {
    this.storage = opts.storage;
    const stateDir = opts.stateDir ?? path.join(dir, '.state');
    this.markers = new RunMarkers(stateDir);
    this.index = new SessionIndex(stateDir, this.snapshot, (err) =>
      this.log('warn', 'could not write the session index', { error: String(err) }),
    );
    this.loaded = new LoadedSessions(
      opts.maxLoadedSessions ?? DEFAULT_MAX_LOADED_SESSIONS,
      (id) => this.loadSession(id),
      (s) => !this.busy(s.id),
      (s) => this.evicted(s),
    );
  }

  /** A run of this session is in progress (it is neither evicted nor deleted meanwhile). */
  protected abstract busy(id: string): boolean;
  /** After every commit of a session's events. */
  protected abstract committed(session: Session, events: AnyEnvelope[]): void;
  abstract get activeRunCount(): number;

  protected async loadSession(id: string): Promise<Session> {
    let rules = this.rules.get(id);
    if (!rules) this.rules.set(id, (rules = new Set()));
    const { session, truncatedBytes } = await Session.load(id, path.join(this.dir, `${id}.jsonl`), this.changed, this.storage, rules);
    if (truncatedBytes > 0) this.log('warn', 'cut a torn tail from a session log', { id, truncatedBytes });
    this.feed.seen(session.summary());
    return session;
  }

  /** An evicted session's entry, settled with its log's size and mtime. */
  private async evicted(session: Session): Promise<void> {
    this.feed.forget(session.id);
    if (session.deleted) return;
    const entry = await entryOf(session);
    if (entry) this.index.set(entry);
  }

  /** What the index writes for an id: loaded sessions once their log is settled. */
  private readonly snapshot = async (id: string): Promise<IndexEntry | null> => {
    const session = this.loaded.peek(id);
    if (!session) return this.index.get(id) ?? null;
    return entryOf(session);
  };

  /** Fires for every commit of every session: updates the index, publishes list changes. */
  private readonly changed = (session: Session, events: AnyEnvelope[]): void => {
    const s = session.summary();
    this.index.changed(s.id, s);
    this.committed(session, events);
    this.feed.changed(s);
  };

  onListEvent(listener: (e: SessionListEvent) => void): () => void {
    return this.feed.on(listener);
  }

  private summaries(): SessionSummary[] {
    return [...this.index.values()].map(({ bytes: _b, mtimeMs: _m, ...summary }) => summary);
  }

  /** Every session, most recent first (from the index: no log is read). */
  list(): SessionSummary[] {
    return this.summaries().sort(compareRecent);
  }

  /** One page of `GET /v1/sessions?limit&before&q`. */
  listPage(query: ListQuery): Required<Omit<ListSessionsResponse, 'defaultModel'>> {
    return pageSessions(this.summaries(), query);
  }

  /** Full-text search of every session's messages, newest sessions first, read from the logs. */
  search(query: string, limit: number, emit: (hit: SearchHit) => Promise<void>, aborted: () => boolean): Promise<SearchEnd> {
    return searchLogs({ dir: this.dir, sessions: this.list(), query, limit, emit, aborted });
  }

  has(id: string): boolean {
    return this.index.has(id) || this.loaded.peek(id) !== undefined;
  }

  /** The session, loaded from its log if need be; undefined when there is no such session. */
  async open(id: string): Promise<Session | undefined> {
    if (!this.has(id)) return undefined;
    return this.loaded.open(id);
  }

  /** Runs `fn` on the loaded session, kept in memory meanwhile; undefined when there is no such session. */
  async use<T>(id: string, fn: (session: Session) => Promise<T>): Promise<{ value: T } | undefined> {
    if (!this.has(id)) return undefined;
    return { value: await this.loaded.pinned(id, fn) };
  }

  /** Runs `fn` on the loaded session, which stays in memory meanwhile. */
  protected async withSession<T>(id: string, fn: (session: Session) => Promise<Result<T>>): Promise<Result<T>> {
    if (!this.has(id)) return fail('not_found', `no session ${id}`);
    return this.loaded.pinned(id, fn);
  }

  /** A model whose provider is unknown is refused when it is chosen, not at the next run. */
  protected async checkModel(model: string | null | undefined): Promise<ManagerError | null> {
    if (!model) return null;
    // A broken config.json is the run's to report; it must not block choosing a model.
    const config = await this.env.loadConfig().catch(() => undefined);
    const problem = unknownProviderOf(model, config, this.env.home);
    return problem ? { code: 'bad_request', message: problem } : null;
  }

  async create(req: CreateSessionRequest): Promise<Result<SessionSummary>> {
    const bad = await this.checkModel(req.model);
    if (bad) return { ok: false, error: bad };
    const created = {
      title: req.title ?? DEFAULT_TITLE,
      model: req.model ?? null,
      workspace: path.resolve(req.workspace ?? process.cwd()),
    };
    return ok(await this.createWith([{ type: 'session.created', data: created }]));
  }

  /** A new session whose log starts with these events (durable before it is announced): a new one, or a fork. */
  protected async createWith(drafts: EventDraft[]): Promise<SessionSummary> {
    let id = newSessionId();
    while (this.has(id)) id = newSessionId();
    const session = await this.loadSession(id);
    this.feed.forget(id);
    try {
      await session.append(drafts, { durable: true });
    } catch (err) {
      // Not created: no empty log is left behind to load as a nameless session.
      this.index.forget(id);
      this.rules.delete(id);
      await session.close();
      await rm(session.file, { force: true }).catch(() => {});
      throw err;
    }
    this.loaded.add(session);
    const summary = session.summary();
    this.feed.emit({ type: 'session.created', session: summary });
    return summary;
  }

  patch(id: string, req: PatchSessionRequest): Promise<Result<SessionSummary>> {
    return this.withSession(id, async (session) => {
      const bad = await this.checkModel(req.model);
      if (bad) return { ok: false, error: bad };
      await session.append(
        [
          {
            type: 'session.updated',
            data: { ...(req.title !== undefined ? { title: req.title } : {}), ...(req.model !== undefined ? { model: req.model } : {}) },
          },
        ],
        { durable: true },
      );
      return ok(session.summary());
    });
  }

  async delete(id: string): Promise<Result<true>> {
    if (!this.has(id)) return fail('not_found', `no session ${id}`);
    const session = this.loaded.peek(id);
    if (session && (session.transcript.activeRunId || this.busy(id))) {
      return fail('conflict', 'the session has an active run; cancel it first');
    }
    if (session) {
      session.deleted = true;
      this.loaded.remove(id);
      await session.close();
    }
    this.feed.forget(id);
    this.rules.delete(id);
    this.index.remove(id);
    await rm(path.join(this.dir, `${id}.jsonl`), { force: true });
    await this.markers.clear(id);
    this.feed.emit({ type: 'session.deleted', sessionId: id });
    return ok(true);
  }

  /** Sessions known, loaded in memory, and with a run in progress. */
  counts(): NonNullable<HelloResponse['sessions']> {
    return { total: this.index.size, loaded: this.loaded.size, active: this.activeRunCount };
  }
}
