import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  isSessionId,
  type AnyEnvelope,
  type ApprovalDecision,
  type CompactRequest,
  type CompactResponse,
  type CreateSessionRequest,
  type EventDraft,
  type PatchSessionRequest,
  type PostMessageRequest,
  type PostMessageResponse,
  type RewindRequest,
  type RewindResponse,
  type SessionListEvent,
  type SessionSummary,
} from '@hermes/protocol';
import type { Agent } from '../agent/types.js';
import type { Logger } from '../util/log.js';
import { newId, newSessionId } from '../util/ids.js';
import { ensurePrivateDir } from '../util/fs.js';
import { Session } from './session.js';
import { titleFromText } from '../agent/title.js';
import { unknownProviderOf } from '../provider/registry.js';
import { RunController, type RunEnvironment } from './run.js';
import { rewindSession } from './rewind.js';

export const DEFAULT_TITLE = 'New session';

export type ManagerError =
  | { code: 'not_found'; message: string }
  | { code: 'conflict'; message: string }
  | { code: 'bad_request'; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: ManagerError };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: ManagerError['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });

/**
 * Owns every session: loading them, creating, deleting, accepting messages (queueing them
 * while a run is active), starting runs and routing cancels and approval answers to them.
 */
const DAEMON_DENIERS = new Set(['timeout', 'cancel', 'restart']);

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly runs = new Map<string, RunController>();
  private readonly listListeners = new Set<(e: SessionListEvent) => void>();
  private readonly lastPublished = new Map<string, { meta: string; status: string }>();
  private stopping = false;
  /** Sessions with a rewind under way: no run starts on them meanwhile. */
  private readonly rewinding = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly agent: Agent,
    private readonly env: RunEnvironment,
    private readonly log: Logger,
  ) {}

  /** Loads every session log; closes runs a crash or restart left open, then resumes queues. */
  async loadAll(): Promise<void> {
    await ensurePrivateDir(this.dir);
    const files = (await readdir(this.dir)).filter((f) => f.endsWith('.jsonl'));
    for (const file of files) {
      const id = file.slice(0, -'.jsonl'.length);
      if (!isSessionId(id)) continue;
      try {
        const { session, truncatedBytes } = await Session.load(id, path.join(this.dir, file), this.changed);
        if (truncatedBytes > 0) this.log('warn', 'cut a torn tail from a session log', { id, truncatedBytes });
        this.sessions.set(id, session);
      } catch (err) {
        this.log('error', 'could not load a session log', { id, error: String(err) });
      }
    }
    for (const session of this.sessions.values()) await this.recover(session);
  }

  private async recover(session: Session): Promise<void> {
    const t = session.transcript;
    if (!t.activeRunId) return;
    const runId = t.activeRunId;
    const drafts: EventDraft[] = t.pendingApprovals.map((p) => ({
      type: 'approval.resolved',
      runId,
      data: { approvalId: p.approvalId, decision: 'deny', by: 'restart', reason: 'the daemon restarted' },
    }));
    drafts.push({
      type: 'run.completed',
      runId,
      data: {
        stopReason: 'interrupted',
        error: { kind: 'interrupted', message: 'The daemon stopped while this run was in progress.', retryable: true },
        usage: { inputTokens: 0, outputTokens: 0 },
      },
    });
    await session.append(drafts, { durable: true });
    this.log('warn', 'run ended', { sessionId: session.id, runId, stopReason: 'interrupted', error: 'the daemon stopped while it was in progress (found at restart)' });
    this.startNextQueued(session);
  }

  /** Fires for every commit of every session: publishes list changes (a batch may change both). */
  private readonly changed = (session: Session, _events: AnyEnvelope[]): void => {
    const s = session.summary();
    const now = { meta: `${s.title}\u0000${s.model}`, status: s.status };
    const prev = this.lastPublished.get(s.id);
    this.lastPublished.set(s.id, now);
    if (prev === undefined) return; // created: announced by create()
    if (prev.meta !== now.meta) this.emitList({ type: 'session.updated', session: s });
    if (prev.status !== now.status) this.emitList({ type: 'session.status', session: s });
  };

  onListEvent(listener: (e: SessionListEvent) => void): () => void {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  }

  private emitList(e: SessionListEvent): void {
    for (const l of this.listListeners) l(e);
  }

  list(): SessionSummary[] {
    return [...this.sessions.values()]
      .map((s) => s.summary())
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** A model whose provider is unknown is refused when it is chosen, not at the next run. */
  private async checkModel(model: string | null | undefined): Promise<ManagerError | null> {
    if (!model) return null;
    // A broken config.json is the run's to report; it must not block choosing a model.
    const config = await this.env.loadConfig().catch(() => undefined);
    const problem = unknownProviderOf(model, config, this.env.home);
    return problem ? { code: 'bad_request', message: problem } : null;
  }

  async create(req: CreateSessionRequest): Promise<Result<SessionSummary>> {
    const bad = await this.checkModel(req.model);
    if (bad) return { ok: false, error: bad };
    let id = newSessionId();
    while (this.sessions.has(id)) id = newSessionId();
    const { session } = await Session.load(id, path.join(this.dir, `${id}.jsonl`), this.changed);
    this.sessions.set(id, session);
    await session.append(
      [
        {
          type: 'session.created',
          data: {
            title: req.title ?? DEFAULT_TITLE,
            model: req.model ?? null,
            workspace: path.resolve(req.workspace ?? process.cwd()),
          },
        },
      ],
      { durable: true },
    );
    const summary = session.summary();
    this.emitList({ type: 'session.created', session: summary });
    return ok(summary);
  }

  async patch(id: string, req: PatchSessionRequest): Promise<Result<SessionSummary>> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    const bad = await this.checkModel(req.model);
    if (bad) return { ok: false, error: bad };
    await session.append(
      [{ type: 'session.updated', data: { ...(req.title !== undefined ? { title: req.title } : {}), ...(req.model !== undefined ? { model: req.model } : {}) } }],
      { durable: true },
    );
    return ok(session.summary());
  }

  async delete(id: string): Promise<Result<true>> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    if (session.transcript.activeRunId || this.runs.has(id)) {
      return fail('conflict', 'the session has an active run; cancel it first');
    }
    session.deleted = true;
    this.sessions.delete(id);
    this.lastPublished.delete(id);
    await session.close();
    await rm(session.file, { force: true });
    this.emitList({ type: 'session.deleted', sessionId: id });
    return ok(true);
  }

  /**
   * Accepts a user message: durable on disk before this resolves (the caller answers 202 only
   * then). Starts a run when idle, else queues the message behind the active run. A repeated
   * `requestId` returns the first answer and never starts a second run.
   */
  async postMessage(id: string, req: PostMessageRequest): Promise<Result<PostMessageResponse>> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    if (req.requestId) {
      const known = session.requests.get(req.requestId);
      if (known) {
        const runId = session.runOfMessage.get(known);
        const queued = session.transcript.queued.some((q) => q.messageId === known);
        return ok({ messageId: known, queued, ...(runId ? { runId } : {}) });
      }
    }
    const bad = await this.checkModel(req.model);
    if (bad) return { ok: false, error: bad };
    if (this.rewinding.has(id)) return fail('conflict', 'a rewind of this session is under way; send again in a moment');
    const messageId = newId('msg');
    const data = {
      messageId,
      text: req.text,
      ...(req.requestId ? { requestId: req.requestId } : {}),
      ...(req.instructions !== undefined ? { instructions: req.instructions } : {}),
    };
    if (req.requestId) session.requests.set(req.requestId, messageId);
    const busy = this.runs.has(id) || session.transcript.activeRunId !== null || session.transcript.queued.length > 0;
    if (busy || this.stopping) {
      await session.append([{ type: 'message.queued', data }], { durable: true });
      return ok({ messageId, queued: true });
    }
    // The run is registered before the first await, so a message posted meanwhile queues behind it.
    const run = this.startRun(session, messageId, req.model, [{ type: 'message.user', data }, ...this.firstTitle(session, req.text)]);
    await run.accepted;
    return ok({ messageId, runId: run.runId, queued: false });
  }

  /** A session still called "New session" gets a title from its first message, at once. */
  private firstTitle(session: Session, text: string): EventDraft[] {
    const t = session.transcript;
    if (t.messageCount > 0 || t.title !== DEFAULT_TITLE) return [];
    return [{ type: 'session.updated', data: { title: titleFromText(text) } }];
  }

  private startRun(
    session: Session,
    messageId: string | undefined,
    modelOverride: string | undefined,
    prelude: EventDraft[],
    agent: Agent = this.agent,
  ): RunController & { done: Promise<void> } {
    const run = new RunController(session, newId('run'), messageId, modelOverride, agent, this.env, this.log);
    this.runs.set(session.id, run);
    if (messageId) session.runOfMessage.set(messageId, run.runId);
    const done = run.start(prelude).finally(() => {
      if (this.runs.get(session.id) === run) this.runs.delete(session.id);
      if (!this.stopping && !session.deleted) this.startNextQueued(session);
    });
    return Object.assign(run, { done });
  }

  /**
   * A manual compaction, carried by a run of its own (so messages posted meanwhile queue behind
   * it and cancel works); resolves when it ended. Refused while a run is active or queued.
   */
  async compact(id: string, req: CompactRequest): Promise<Result<CompactResponse>> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    const compactWith = this.agent.compact?.bind(this.agent);
    if (!compactWith) return fail('bad_request', 'this daemon\'s agent cannot compact');
    if (this.runs.has(id) || session.transcript.activeRunId !== null || session.transcript.queued.length > 0) {
      return fail('conflict', 'the session has an active run; compact once it has ended (or cancel it)');
    }
    if (this.stopping) return fail('conflict', 'the daemon is shutting down');
    const run = this.startRun(session, undefined, undefined, [], { run: (ctx) => compactWith(ctx, req.focus) });
    await run.done;
    const item = session.transcript.items.findLast((i) => i.kind === 'compaction' && i.runId === run.runId);
    if (!item || item.kind !== 'compaction') {
      const end = session.transcript.items.findLast((i) => i.kind === 'run_end' && i.runId === run.runId);
      const message = end?.kind === 'run_end' && end.error ? end.error.message : 'the compaction did not start';
      return fail('bad_request', message);
    }
    return ok({
      compactionId: item.compactionId,
      runId: run.runId,
      status: item.status === 'completed' ? 'completed' : 'failed',
      tokensBefore: item.tokensBefore,
      ...(item.tokensAfter !== undefined ? { tokensAfter: item.tokensAfter } : {}),
      ...(item.error ? { error: { kind: String(item.error.kind), message: item.error.message, ...(item.error.hint ? { hint: item.error.hint } : {}) } } : {}),
    });
  }

  /** `POST …/rewind`: refused while a run is active or queued, or another rewind is under way. */
  async rewind(id: string, req: RewindRequest): Promise<Result<RewindResponse>> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    if (this.runs.has(id) || session.transcript.activeRunId !== null || session.transcript.queued.length > 0 || this.rewinding.has(id)) {
      return fail('conflict', 'the session has an active run; rewind once it has ended (or cancel it)');
    }
    this.rewinding.add(id);
    try {
      const config = await this.env.loadConfig().catch(() => ({}));
      const r = await rewindSession(session, this.env.home, config, req);
      return r.ok ? ok(r.value) : fail(r.code, r.message);
    } finally {
      this.rewinding.delete(id);
    }
  }

  /**
   * Withdraws a queued message before its run starts. Decided synchronously (the run that would
   * start it checks the same set), so a withdrawal racing the end of the current run either wins
   * and the message never runs, or loses with 409 and it runs.
   */
  async withdrawMessage(id: string, messageId: string, by?: string): Promise<Result<{ messageId: string; withdrawn: true }>> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    const queued = session.transcript.queued.some((q) => q.messageId === messageId);
    if (session.runOfMessage.has(messageId)) return fail('conflict', `message ${messageId} has already started running`);
    if (session.withdrawn.has(messageId)) return fail('conflict', `message ${messageId} was already withdrawn`);
    if (!queued) return fail('not_found', `no queued message ${messageId} in session ${id}`);
    session.withdrawn.add(messageId);
    await session.append([{ type: 'message.dequeued', data: { messageId, ...(by ? { by } : {}) } }], { durable: true });
    return ok({ messageId, withdrawn: true });
  }

  private startNextQueued(session: Session): void {
    if (this.runs.has(session.id) || this.stopping) return;
    const next = session.transcript.queued.find((q) => !session.withdrawn.has(q.messageId));
    if (!next) return;
    this.startRun(session, next.messageId, undefined, [
      {
        type: 'message.user',
        data: { messageId: next.messageId, text: next.text, ...(next.instructions !== undefined ? { instructions: next.instructions } : {}) },
      },
    ]);
  }

  cancel(id: string): Result<{ cancelled: boolean; runId?: string }> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    const run = this.runs.get(id);
    if (!run) return ok({ cancelled: false });
    run.cancel('cancelled by the user');
    return ok({ cancelled: true, runId: run.runId });
  }

  answerApproval(
    id: string,
    approvalId: string,
    answer: { decision: ApprovalDecision; reason?: string; by?: string },
    client?: { pid: number; program: string },
  ): Result<{ approvalId: string; decision: ApprovalDecision }> {
    const session = this.sessions.get(id);
    if (!session) return fail('not_found', `no session ${id}`);
    const run = this.runs.get(id);
    // A client cannot pose as the daemon's own deniers (`timeout`, `cancel`, `restart`).
    const claim = answer.by ?? 'client';
    const by = DAEMON_DENIERS.has(claim) ? `client (${claim})` : claim;
    if (run?.answer(approvalId, { decision: answer.decision, by, ...(client ? { client } : {}), ...(answer.reason !== undefined ? { reason: answer.reason } : {}) })) {
      return ok({ approvalId, decision: answer.decision });
    }
    if (session.resolvedApprovals.has(approvalId)) return fail('conflict', `approval ${approvalId} was already answered`);
    return fail('not_found', `no pending approval ${approvalId}`);
  }

  get activeRunCount(): number {
    return this.runs.size;
  }

  /** Stops every run (closing each as interrupted), waits for the logs to be written. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.runs.values()].map((run) => run.interrupt()));
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }
}
