import type {
  ApprovalAnswer,
  ApprovalAsk,
  ClarifyAsk,
  ClarifyOutcome,
  EventDraft,
  HermesConfig,
  RunError,
  StopReason,
  Usage,
} from '@hermes/protocol';
import { Redactor } from '../util/redact.js';
import type { Agent, RunContext, RunOutcome, RunRetry } from '../agent/types.js';
import type { Logger } from '../util/log.js';
import type { McpManager } from '../mcp/manager.js';
import { RunCheckpoint } from '../checkpoint/index.js';
import type { SandboxService } from '../sandbox/index.js';
import { asStorageError, StorageError } from '../store/storage-error.js';
import type { RunMarkers } from '../store/run-markers.js';
import type { Session } from './session.js';
import { takeSteers, waitingSteers } from './steering.js';
import { RunClarifications, type ClarifyAnswerResult } from './clarifications.js';
import { RunApprovals } from './approvals.js';
import { runEndData, runEndLevel } from './run-end.js';
import type { GuardOptions } from '../web/guard.js';

/** What runs need from the daemon around them; read fresh at each run's start. */
export interface RunEnvironment {
  home: string;
  loadConfig(): Promise<HermesConfig>;
  /** The daemon's environment merged with HERMES_HOME/.env (the file wins only where the env is unset). */
  loadEnv(): Promise<Record<string, string | undefined>>;
  /** Saves an `always` answer's pattern to the config allowlist. */
  addToAllowlist(pattern: string): Promise<void>;
  /** The daemon token and the HERMES_HOME/.env values: never to be written to an event. */
  secrets(): Promise<string[]>;
  /** Where terminal commands run (probed once at start); none: unconfined. */
  sandbox?: SandboxService;
  /** The daemon's MCP servers. */
  mcp?: McpManager;
  /** web_fetch's address rules (the daemon's own port, the test-only loopback switch). */
  web?: () => GuardOptions;
}

/** How long a cancelled agent may take to unwind before the run is closed without it. */
const CANCEL_GRACE_MS = 1500;

const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

/**
 * One run of the agent on a session: `run.started`, whatever the agent emits, then
 * `run.completed` (on disk before anyone sees it). Cancel and shutdown come in here.
 */
export class RunController {
  private readonly abort = new AbortController();
  private readonly approvals: RunApprovals;
  private readonly clarifications: RunClarifications;
  private closed = false;
  private stopReason: 'cancelled' | 'interrupted' | null = null;
  /** The storage failure that ended the run: its events could not be written. */
  private storageFailure: StorageError | null = null;
  private forceStop: (() => void) | null = null;
  private finished: Promise<void> | null = null;
  private startedAt = 0;
  private retries = 0;
  /** Masks the daemon token and .env values in what the log records about this run. */
  private redactor = new Redactor([]);
  /** The run's workspace snapshots (runs of a user message only). */
  private checkpoint: RunCheckpoint | null = null;
  private acceptedResolve!: (value: void) => void;
  private acceptedReject!: (err: unknown) => void;
  private readonly acceptedPromise = new Promise<void>((resolve, reject) => {
    this.acceptedResolve = resolve;
    this.acceptedReject = reject;
  });

  constructor(
    private readonly session: Session,
    readonly runId: string,
    /** The user message that started the run; none for a manual compaction. */
    readonly messageId: string | undefined,
    private readonly modelOverride: string | undefined,
    private readonly agent: Agent,
    private readonly env: RunEnvironment,
    private readonly log: Logger,
    /** The durable "run open" marker: written before `run.started`, cleared after `run.completed`. */
    private readonly markers: RunMarkers | null = null,
  ) {
    this.acceptedPromise.catch(() => {});
    this.clarifications = new RunClarifications(session, runId, (draft) => this.emit(draft));
    this.approvals = new RunApprovals(
      session,
      runId,
      (draft) => this.emit(draft),
      (pattern) => env.addToAllowlist(pattern),
      log,
    );
  }

  /** True once the prelude is on disk (the run really started). */
  wasAccepted = false;

  /** Resolves once the run's prelude (its user message) is durable: the moment to answer 202. */
  get accepted(): Promise<void> {
    return this.acceptedPromise;
  }

  /** Runs to the end: the prelude, `run.started`, the agent, `run.completed`. */
  start(prelude: EventDraft[]): Promise<void> {
    this.finished ??= this.execute(prelude);
    return this.finished;
  }

  private async execute(prelude: EventDraft[]): Promise<void> {
    // Read what the run needs first, so the user message and `run.started` are written in one
    // append: no reader ever sees the message accepted and the session idle in between.
    let loaded: { config: HermesConfig; env: Record<string, string | undefined>; secrets: string[]; model: string | null } | null = null;
    let loadError: unknown = null;
    // Meanwhile, the marker that lets a restart find this run without folding every log.
    const marked = this.markers ? this.markers.mark(this.session.id, this.runId) : Promise.resolve();
    marked.catch(() => {});
    try {
      const [config, env, secrets] = await Promise.all([this.env.loadConfig(), this.env.loadEnv(), this.env.secrets()]);
      const model = this.modelOverride ?? this.session.transcript.model ?? config.model ?? env.HERMES_MODEL ?? null;
      loaded = { config, env, secrets, model };
      this.redactor = new Redactor(secrets);
    } catch (err) {
      loadError = err;
    }
    this.startedAt = Date.now();
    this.log('info', 'run started', { sessionId: this.session.id, runId: this.runId, model: loaded?.model ?? null });
    const started: EventDraft = {
      type: 'run.started',
      runId: this.runId,
      data: { model: loaded?.model ?? null, ...(this.messageId ? { messageId: this.messageId } : {}) },
    };
    try {
      await marked;
      await this.session.append([...prelude, started], { durable: true });
      this.wasAccepted = true;
      this.acceptedResolve();
    } catch (err) {
      // Never started: its marker goes (unless an earlier run's end is still owed to the log).
      if (!this.session.owesEvents) void this.markers?.clear(this.session.id);
      this.acceptedReject(err);
      return;
    }
    let outcome: RunOutcome;
    try {
      if (!loaded) throw loadError;
      if (this.abort.signal.aborted) {
        outcome = { stopReason: this.stopReason ?? 'cancelled', usage: ZERO_USAGE };
      } else {
        if (this.messageId) {
          this.checkpoint = new RunCheckpoint({
            home: this.env.home,
            workspace: this.session.transcript.workspace,
            sessionId: this.session.id,
            runId: this.runId,
            messageId: this.messageId,
            config: loaded.config,
            emit: (draft) => this.emit(draft),
            log: (level, msg, fields) => this.log(level, msg, fields),
          });
        }
        const ctx = this.context(loaded.model, loaded.config, loaded.env, loaded.secrets);
        const fallback = this.env.sandbox?.fallbackNotice(loaded.config, this.session.id);
        if (fallback) await this.emit({ type: 'notice', data: { level: 'warn', message: fallback } });
        outcome = await Promise.race([this.agent.run(ctx), this.forcedStop()]);
      }
    } catch (err) {
      this.log('error', 'run failed', { sessionId: this.session.id, runId: this.runId, error: this.redactor.redact(String(err)) });
      const error: RunError = { kind: 'internal', message: err instanceof Error ? err.message : String(err), retryable: false };
      outcome = { stopReason: 'error', error, usage: ZERO_USAGE };
    }
    await this.complete(outcome);
  }

  private forcedStop(): Promise<RunOutcome> {
    return new Promise((resolve) => {
      this.forceStop = () => resolve({ stopReason: this.stopReason ?? 'cancelled', usage: ZERO_USAGE });
    });
  }

  private async complete(outcome: RunOutcome): Promise<void> {
    const data = runEndData(outcome, this.stopReason, this.storageFailure);
    const { stopReason } = data;
    this.resolveAllApprovals(stopReason === 'interrupted' ? 'shutdown' : 'run ended');
    // What the run changed is recorded before its end, so a rewind right after sees it.
    await this.checkpoint?.finish().catch(() => {});
    this.closed = true;
    this.logEnd(stopReason, data.error);
    const end: EventDraft = { type: 'run.completed', runId: this.runId, data };
    try {
      await this.session.append([end], { durable: true });
      // A queued message runs next and keeps the marker (no fsync between the two runs).
      if (this.session.transcript.queued.length === 0) void this.markers?.clear(this.session.id);
    } catch (err) {
      // Even the end would not fit: it is owed to the log (written before the session's next
      // event, or closed as interrupted at the next start), and the clients are told now.
      const se = asStorageError(err, this.session.file) ?? new StorageError('EIO', this.session.file, err);
      this.log('error', 'could not record the end of a run', {
        sessionId: this.session.id,
        runId: this.runId,
        code: se.code,
        error: String(err),
      });
      this.session.owe([end], { code: se.code, message: se.message, hint: se.hint });
    }
  }

  /** One line per run end in the daemon log: how it stopped, how long it took, what went wrong. */
  private logEnd(stopReason: StopReason, error: RunError | undefined): void {
    this.log(runEndLevel(stopReason), 'run ended', {
      sessionId: this.session.id,
      runId: this.runId,
      stopReason,
      durationMs: Date.now() - this.startedAt,
      retries: this.retries,
      ...(error ? { error: `${error.kind}: ${this.redactor.redact(error.message).slice(0, 300)}` } : {}),
    });
  }

  private onRetry(r: RunRetry): void {
    this.retries++;
    this.log('warn', r.kind === 'fallback' ? 'run falls back to another model' : 'run retries a model call', {
      sessionId: this.session.id,
      runId: this.runId,
      ...r,
    });
  }

  /** An event of the run could not be written: the run ends (as an error of kind storage). */
  private failStorage(err: unknown): void {
    if (this.storageFailure || this.stopReason) return;
    this.storageFailure = asStorageError(err, this.session.file) ?? new StorageError('EIO', this.session.file, err);
    this.log('error', 'a session log write failed; ending the run', {
      sessionId: this.session.id,
      runId: this.runId,
      code: this.storageFailure.code,
      error: String(err),
    });
    // Nothing more of the agent's is written (the log could not take it); only the run's end.
    this.closed = true;
    this.resolveAllApprovals('run ended');
    this.abort.abort(this.storageFailure);
    const grace = setTimeout(() => this.forceStop?.(), CANCEL_GRACE_MS);
    grace.unref();
  }

  private context(model: string | null, config: HermesConfig, env: Record<string, string | undefined>, secrets: string[]): RunContext {
    return {
      sessionId: this.session.id,
      runId: this.runId,
      workspace: this.session.transcript.workspace,
      model,
      transcript: this.session.transcript,
      config,
      home: this.env.home,
      env,
      signal: this.abort.signal,
      emit: (draft, opts) => this.emit(draft, opts),
      current: () => this.session.transcript,
      requestApproval: (ask) => this.requestApproval(ask, config),
      ...(config.agent?.clarify === false ? {} : { requestClarification: (ask: ClarifyAsk) => this.requestClarification(ask, config) }),
      sessionRules: this.session.sessionRules,
      secrets,
      ...(this.env.sandbox ? { sandbox: this.env.sandbox.forRun(config, this.session.id, this.session.transcript.workspace) } : {}),
      ...(this.env.mcp ? { mcp: this.mcpForRun(this.env.mcp, config, env) } : {}),
      ...(this.checkpoint ? { checkpoint: this.checkpoint } : {}),
      ...(this.env.web ? { web: this.env.web() } : {}),
      onRetry: (r) => this.onRetry(r),
      ...(this.messageId ? { takeSteers: () => this.takeSteers() } : {}),
    };
  }

  /** The run's MCP servers: the user's, the session's own, the workspace's `.mcp.json` (asked through this run's approvals). */
  private mcpForRun(mcp: McpManager, config: HermesConfig, env: Record<string, string | undefined>) {
    return mcp.forRun({
      config,
      env,
      workspace: this.session.transcript.workspace,
      sessionId: this.session.id,
      io: {
        ask: (ask) => this.requestApproval(ask, config),
        notice: (level, message) => this.emit({ type: 'notice', data: { level, message } }),
      },
    });
  }

  /** True when the run takes steer messages (a run of a user message; a manual compaction does not). */
  get steerable(): boolean {
    return this.messageId !== undefined && !this.closed && !this.abort.signal.aborted;
  }

  /** The steers at the head of the queue join the run now (see `takeSteers`). */
  private takeSteers(): Promise<string[]> {
    if (!this.steerable) return Promise.resolve([]);
    return takeSteers(this.session, this.runId, (draft) => this.emit(draft, { durable: true }));
  }

  /**
   * A steer arrived: an approval waiting for an answer would hold it back (the run reaches no
   * boundary meanwhile), so it is answered now with the steer's text as the reason: a tool
   * call is denied; the loop guard's "go on?" gets yes (the steer is the user's word on how).
   * A pending `clarify` question is dismissed with the text as its note (the model reads what
   * the user said instead).
   */
  steered(text: string): void {
    this.approvals.steered(text);
    this.clarifications.resolveAll({ reason: 'dismissed', by: 'steer', note: text });
  }

  /** The text of a steer waiting for this run's next boundary, if any. */
  private waitingSteer(): string | undefined {
    return this.messageId ? waitingSteers(this.session.transcript.queued, this.session.withdrawn)[0]?.text : undefined;
  }

  /**
   * Never rejects (the agent emits without awaiting, e.g. tool output): a write that fails
   * ends the run instead, with a storage error.
   */
  private async emit(draft: EventDraft, opts: { durable?: boolean } = {}): Promise<void> {
    // A run closed by cancel or shutdown keeps no voice: late events of an unwinding agent are dropped.
    if (this.closed) return;
    try {
      await this.session.append([{ ...draft, runId: this.runId } as EventDraft], opts);
    } catch (err) {
      this.failStorage(err);
    }
  }

  private requestApproval(ask: ApprovalAsk, config: HermesConfig): Promise<ApprovalAnswer> {
    const aborted = this.abort.signal.aborted;
    return this.approvals.request(ask, config.approvals?.timeout, aborted, () => this.waitingSteer());
  }

  /** The first answer wins; returns false when the approval is not pending (any more). */
  /** What a pending approval asks, if it is still pending. */
  pendingApproval(approvalId: string): ApprovalAsk | undefined {
    return this.approvals.ask(approvalId);
  }

  answer(approvalId: string, answer: ApprovalAnswer): boolean {
    return this.approvals.answer(approvalId, answer);
  }

  private resolveAllApprovals(by: string): void {
    this.approvals.denyAll(by);
    this.clarifications.resolveAll({ reason: 'cancelled', by });
  }

  /** A `clarify` question: waits `agent.clarifyTimeout` seconds, else `approvals.timeout`, else for ever. */
  private requestClarification(ask: ClarifyAsk, config: HermesConfig): Promise<ClarifyOutcome> {
    const timeoutSec = config.agent?.clarifyTimeout ?? config.approvals?.timeout;
    // A steer already waiting dismisses the question at once (as it answers an approval).
    return this.clarifications.request(ask, timeoutSec, this.abort.signal.aborted || this.closed, () => this.waitingSteer());
  }

  /** A client's answer to a `clarify` question (`answers: null` dismisses it); the first one wins. */
  answerClarification(clarifyId: string, outcome: ClarifyOutcome): ClarifyAnswerResult {
    return this.clarifications.answer(clarifyId, outcome);
  }

  cancel(reason: string): void {
    this.stop('cancelled', reason);
  }

  /** Shutdown: the run ends as interrupted; resolves once its end is on disk. */
  async interrupt(): Promise<void> {
    this.stop('interrupted', 'the daemon is shutting down');
    await this.finished;
  }

  private stop(kind: 'cancelled' | 'interrupted', reason: string): void {
    if (this.stopReason) return;
    this.stopReason = kind;
    this.resolveAllApprovals(kind === 'cancelled' ? 'cancel' : 'shutdown');
    this.abort.abort(new Error(reason));
    const grace = setTimeout(() => this.forceStop?.(), kind === 'interrupted' ? 500 : CANCEL_GRACE_MS);
    grace.unref();
  }
}
