import type {
  AnswerApprovalRequest,
  AnyEnvelope,
  ApprovalAnswer,
  ApprovalResponse,
  CancelResponse,
  ClarifyRequest,
  ClarifyResponse,
  CompactRequest,
  CompactResponse,
  EventDraft,
  ForkRequest,
  ForkResponse,
  HermesConfig,
  PostMessageRequest,
  PostMessageResponse,
  RewindRequest,
  RewindResponse,
  RetryRequest,
  RetryResponse,
  UnrewindRequest,
  UnrewindResponse,
  WithdrawMessageResponse,
} from '@hermes/protocol';
import type { Agent } from '../agent/types.js';
import type { Logger } from '../util/log.js';
import { newId } from '../util/ids.js';
import { ensurePrivateDir } from '../util/fs.js';
import type { Session } from './session.js';
import { titleFromText } from '../agent/title.js';
import { RunController, type RunEnvironment } from './run.js';
import { rewindSession, unrewindSession } from './rewind.js';
import { planFork } from './fork.js';
import { pinsOfFork } from '../checkpoint/index.js';
import { closeInterrupted, reconcile } from './startup.js';
import { compactionOutcome } from './compaction-outcome.js';
import { fail, ok, type Result } from './result.js';
import { DEFAULT_TITLE, SessionRegistry, type ManagerOptions } from './registry.js';
import { deliveryFor, dispositionOf } from './steering.js';
import { answerClarification } from './clarify-answer.js';
import { answerApproval } from './approval-answer.js';

export type { ManagerError, Result } from './result.js';
export { DEFAULT_TITLE, type ManagerOptions } from './registry.js';

/** How long a queue whose next start the disk refused waits before trying again. */
const QUEUE_RETRY_MS = 3000;

/**
 * Owns every session (the registry) and their runs: accepting messages (queueing them while a
 * run is active), starting runs and routing cancels and approval answers to them.
 */
export class SessionManager extends SessionRegistry {
  private readonly runs = new Map<string, RunController>();
  private stopping = false;
  /** Each active run's end, its queue moved on (what an interrupt waits for). */
  private readonly ended = new WeakMap<RunController, Promise<void>>();
  /** Sessions with a rewind under way: no run starts on them meanwhile. */
  private readonly rewinding = new Set<string>();

  constructor(
    dir: string,
    private readonly agent: Agent,
    env: RunEnvironment,
    log: Logger,
    opts: ManagerOptions = {},
  ) {
    super(dir, env, log, opts);
  }

  protected busy(id: string): boolean {
    return this.runs.has(id);
  }

  protected committed(session: Session, events: AnyEnvelope[]): void {
    // A run's end that was owed to a failing disk just got written: its queue moves again.
    if (!this.runs.has(session.id) && !session.deleted && events.some((e) => e.type === 'run.completed')) {
      queueMicrotask(() => this.startNextQueued(session));
    }
  }

  /**
   * Start-up: reconciles the index with the logs (repairing what is missing or stale), then
   * closes the runs a crash or restart left open (the sessions with a run marker) and resumes
   * their queues. Only those logs are folded, not every one.
   */
  async loadAll(): Promise<void> {
    await ensurePrivateDir(this.dir);
    await this.markers.init();
    const marked = new Set(await this.markers.list());
    const { keep } = await reconcile({ dir: this.dir, index: this.index, marked, load: (id) => this.loadSession(id), log: this.log });
    for (const session of keep) {
      this.loaded.add(session);
      if (await this.recover(session)) await this.markers.clear(session.id);
    }
  }

  /** Closes a run left open as interrupted, then resumes the queue; false when the disk refused (it is owed). */
  private async recover(session: Session): Promise<boolean> {
    if (!(await closeInterrupted(session, this.log))) return false;
    this.startNextQueued(session);
    return true;
  }

  /**
   * Accepts a user message: durable on disk before this resolves (the caller answers 202 only
   * then; a disk that refuses is a StorageError, 507). Starts a run when idle, else queues the
   * message behind the active run. A repeated `requestId` returns the first answer and never
   * starts a second run.
   */
  postMessage(id: string, req: PostMessageRequest): Promise<Result<PostMessageResponse>> {
    return this.withSession(id, async (session) => {
      if (req.requestId) {
        const known = session.requests.get(req.requestId);
        if (known) return ok({ messageId: known, ...dispositionOf(session, known, this.runs.get(id)) });
      }
      const bad = await this.checkModel(req.model);
      if (bad) return { ok: false, error: bad };
      if (this.rewinding.has(id)) return fail('conflict', 'a rewind of this session is under way; send again in a moment');
      // A run's end that a failing disk refused is written first (507 if it still cannot be).
      if (session.owesEvents && !this.runs.has(id)) await session.settle();
      const messageId = newId('msg');
      const data = {
        messageId,
        text: req.text,
        ...(req.requestId ? { requestId: req.requestId } : {}),
        ...(req.instructions !== undefined ? { instructions: req.instructions } : {}),
      };
      if (req.requestId) session.requests.set(req.requestId, messageId);
      const forget = () => {
        // Not on disk: a retry with the same requestId must be taken as new.
        if (req.requestId && session.requests.get(req.requestId) === messageId) session.requests.delete(req.requestId);
        session.runOfMessage.delete(messageId);
      };
      const running = this.runs.has(id) || session.transcript.activeRunId !== null;
      if (running || session.transcript.queued.length > 0 || this.stopping) {
        const active = this.stopping ? undefined : this.runs.get(id);
        const delivery = deliveryFor(req.delivery, active, session);
        try {
          await session.append([{ type: 'message.queued', data: { ...data, ...(delivery !== 'queue' ? { delivery } : {}) } }], {
            durable: true,
          });
        } catch (err) {
          forget();
          throw err;
        }
        if (delivery === 'steer') active?.steered(req.text);
        if (delivery === 'interrupt' && active) {
          // Cancel semantics (the partial reply is kept); the message runs once the run has ended.
          active.cancel('interrupted by a new message');
          await this.ended.get(active);
        }
        // Checked again now: the run may have ended while this was written (its end then found
        // no queue), or a failed start (disk full) may have left the queue standing.
        if (!this.runs.has(id) && session.transcript.activeRunId === null) this.startNextQueued(session);
        return ok({ messageId, ...dispositionOf(session, messageId, this.runs.get(id)) });
      }
      // The run is registered before the first await, so a message posted meanwhile queues behind it.
      const run = this.startRun(session, messageId, req.model, [{ type: 'message.user', data }, ...this.firstTitle(session, req.text)]);
      try {
        await run.accepted;
      } catch (err) {
        forget();
        throw err;
      }
      return ok({ messageId, runId: run.runId, queued: false, disposition: 'started' });
    });
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
    const run = new RunController(session, newId('run'), messageId, modelOverride, agent, this.env, this.log, this.markers);
    this.runs.set(session.id, run);
    if (messageId) session.runOfMessage.set(messageId, run.runId);
    const done = run.start(prelude).finally(() => {
      if (this.runs.get(session.id) === run) this.runs.delete(session.id);
      if (this.stopping || session.deleted) return;
      if (run.wasAccepted) this.startNextQueued(session);
      // A queued message whose start the disk refused is still queued on disk: try it again
      // later (not at once, which would spin against a full disk), or with the next message.
      else if (session.transcript.queued.length > 0)
        setTimeout(() => !this.stopping && !session.deleted && this.startNextQueued(session), QUEUE_RETRY_MS).unref();
    });
    this.ended.set(run, done);
    return Object.assign(run, { done });
  }

  /**
   * A manual compaction, carried by a run of its own (so messages posted meanwhile queue behind
   * it and cancel works); resolves when it ended. Refused while a run is active or queued.
   */
  compact(id: string, req: CompactRequest): Promise<Result<CompactResponse>> {
    return this.withSession(id, async (session) => {
      const compactWith = this.agent.compact?.bind(this.agent);
      if (!compactWith) return fail('bad_request', "this daemon's agent cannot compact");
      if (this.runs.has(id) || session.transcript.activeRunId !== null || session.transcript.queued.length > 0) {
        return fail('conflict', 'the session has an active run; compact once it has ended (or cancel it)');
      }
      if (this.stopping) return fail('conflict', 'the daemon is shutting down');
      if (session.owesEvents) await session.settle();
      const run = this.startRun(session, undefined, undefined, [], { run: (ctx) => compactWith(ctx, req.focus) });
      await run.done;
      return compactionOutcome(session, run.runId);
    });
  }

  /** True while the session may not be rewound, retried or forked: a run active or queued, or a rewind under way. */
  private locked(session: Session): boolean {
    const t = session.transcript;
    return this.runs.has(session.id) || t.activeRunId !== null || t.queued.length > 0 || this.rewinding.has(session.id) || this.stopping;
  }

  /** Runs `fn` with the session held against runs and other rewinds; 409 while it is busy. */
  private exclusive<T>(id: string, what: string, fn: (session: Session, config: HermesConfig) => Promise<Result<T>>): Promise<Result<T>> {
    return this.withSession(id, async (session) => {
      if (this.locked(session)) return fail('conflict', `the session has an active run; ${what} once it has ended (or cancel it)`);
      this.rewinding.add(id);
      try {
        const config = await this.env.loadConfig().catch(() => ({}));
        return await fn(session, config);
      } finally {
        this.rewinding.delete(id);
      }
    });
  }

  /** `POST …/rewind`: refused while a run is active or queued, or another rewind is under way. */
  rewind(id: string, req: RewindRequest): Promise<Result<RewindResponse>> {
    return this.exclusive(id, 'rewind', async (session, config) => {
      const r = await rewindSession(session, this.env.home, config, req);
      return r.ok ? ok(r.value) : fail(r.code, r.message);
    });
  }

  /** `POST …/unrewind`: the latest rewind in force, while no message was sent since. */
  unrewind(id: string, req: UnrewindRequest): Promise<Result<UnrewindResponse>> {
    return this.exclusive(id, 'unrewind', async (session, config) => {
      const r = await unrewindSession(session, this.env.home, config, req);
      return r.ok ? ok(r.value) : fail(r.code, r.message);
    });
  }

  /** `POST …/retry`: rewinds the last user message and runs the same text again as `message.user {retryOf}`. */
  retry(id: string, req: RetryRequest): Promise<Result<RetryResponse>> {
    return this.exclusive(id, 'retry', async (session, config) => {
      const bad = await this.checkModel(req.model);
      if (bad) return { ok: false, error: bad };
      const last = session.transcript.items.findLast((i) => i.kind === 'user');
      if (!last || last.kind !== 'user') return fail('conflict', 'there is no message to retry');
      const r = await rewindSession(session, this.env.home, config, { toMessageId: last.messageId, mode: req.mode });
      if (!r.ok) return fail(r.code, r.message);
      const messageId = newId('msg');
      const data = {
        messageId,
        text: last.text,
        retryOf: last.messageId,
        ...(last.instructions !== undefined ? { instructions: last.instructions } : {}),
      };
      const run = this.startRun(session, messageId, req.model, [{ type: 'message.user', data }]);
      await run.accepted;
      return ok({
        rewindId: r.value.rewindId,
        messageId,
        retryOf: last.messageId,
        runId: run.runId,
        restored: r.value.restored,
        skipped: r.value.skipped,
      });
    });
  }

  /** `POST …/fork`: a new session holding copies of this one's events before `atMessageId` (or all). */
  fork(id: string, req: ForkRequest): Promise<Result<ForkResponse>> {
    return this.exclusive(id, 'fork', async (parent) => {
      const plan = await planFork(parent, req);
      if (!plan.ok) return fail('not_found', plan.message);
      const summary = await this.createWith([{ type: 'session.created', data: plan.value.created }, ...plan.value.copies]);
      const fork = this.loaded.peek(summary.id);
      // The fork's checkpoints stay restorable after the parent's pins are pruned with it.
      if (fork)
        await pinsOfFork(this.env.home, parent.id, fork.transcript).catch((e: unknown) =>
          this.log('warn', "could not pin a fork's checkpoints", { error: String(e) }),
        );
      return ok({ session: summary, ...(plan.value.text !== undefined ? { text: plan.value.text } : {}) });
    });
  }

  /**
   * Withdraws a queued message before its run starts. Decided synchronously (the run that would
   * start it checks the same set), so a withdrawal racing the end of the current run either wins
   * and the message never runs, or loses with 409 and it runs.
   */
  withdrawMessage(id: string, messageId: string, by?: string): Promise<Result<WithdrawMessageResponse>> {
    return this.withSession(id, async (session) => {
      const queued = session.transcript.queued.some((q) => q.messageId === messageId);
      if (session.runOfMessage.has(messageId)) return fail('conflict', `message ${messageId} has already started running`);
      if (session.withdrawn.has(messageId)) return fail('conflict', `message ${messageId} was already withdrawn`);
      if (!queued) return fail('not_found', `no queued message ${messageId} in session ${id}`);
      session.withdrawn.add(messageId);
      try {
        await session.append([{ type: 'message.dequeued', data: { messageId, ...(by ? { by } : {}) } }], { durable: true });
      } catch (err) {
        session.withdrawn.delete(messageId);
        throw err;
      }
      return ok({ messageId, withdrawn: true });
    });
  }

  private startNextQueued(session: Session): void {
    if (this.runs.has(session.id) || this.stopping) return;
    const next = session.transcript.queued.find((q) => !session.withdrawn.has(q.messageId));
    if (!next) return;
    this.startRun(session, next.messageId, undefined, [
      {
        type: 'message.user',
        data: {
          messageId: next.messageId,
          text: next.text,
          ...(next.instructions !== undefined ? { instructions: next.instructions } : {}),
        },
      },
    ]);
  }

  cancel(id: string): Result<CancelResponse> {
    if (!this.has(id)) return fail('not_found', `no session ${id}`);
    const run = this.runs.get(id);
    if (!run) return ok({ cancelled: false });
    run.cancel('cancelled by the user');
    return ok({ cancelled: true, runId: run.runId });
  }

  /** A client's answer to an approval (see `approval-answer.ts`). */
  async answerApproval(
    id: string,
    approvalId: string,
    answer: AnswerApprovalRequest,
    client?: ApprovalAnswer['client'],
  ): Promise<Result<ApprovalResponse>> {
    if (!this.has(id)) return fail('not_found', `no session ${id}`);
    return answerApproval(this.runs.get(id), () => this.loaded.open(id), approvalId, answer, client);
  }

  /** A client's answer to a `clarify` question (see `clarify-answer.ts`). */
  async answerClarification(
    id: string,
    clarifyId: string,
    body: ClarifyRequest,
    client?: { pid: number; program: string },
  ): Promise<Result<ClarifyResponse>> {
    if (!this.has(id)) return fail('not_found', `no session ${id}`);
    return answerClarification(this.runs.get(id), () => this.loaded.open(id), clarifyId, body, client);
  }

  get activeRunCount(): number {
    return this.runs.size;
  }

  /** Stops every run (closing each as interrupted), waits for the logs and the index to be written. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.runs.values()].map((run) => run.interrupt()));
    await Promise.all([...this.loaded.values()].map((s) => s.close()));
    await this.loaded.settled();
    await this.markers.settled();
    await this.index.close();
  }
}
