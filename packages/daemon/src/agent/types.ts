import type {
  ApprovalAnswer,
  ApprovalAsk,
  ClarifyAsk,
  ClarifyOutcome,
  EventDraft,
  HermesConfig,
  RunError,
  StopReason,
  Transcript,
  Usage,
} from '@hermes/protocol';
import type { RunMcp } from '../mcp/manager.js';
import type { CommandSandbox } from '../sandbox/index.js';
import type { GuardOptions } from '../web/guard.js';

/**
 * Everything a run may touch. Each run gets its own: nothing global is read or mutated,
 * so concurrent sessions never see each other's workspace, environment or rules.
 */
export interface RunContext {
  sessionId: string;
  runId: string;
  workspace: string;
  /** `provider:model` chosen for this run (request, session, config or HERMES_MODEL). */
  model: string | null;
  /** The session as it stands at the start of the run, the triggering user message included. */
  transcript: Transcript;
  /** The config as loaded when the run started. */
  config: HermesConfig;
  /** HERMES_HOME, for the .env file and the allowlist. */
  home: string;
  /** Environment for tools and provider keys (the daemon's env merged with HERMES_HOME/.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the run is cancelled or the daemon shuts down. */
  signal: AbortSignal;
  /** Appends an event to the session log (it gets its seq there) and publishes it; `durable` waits for the fsync. */
  emit(draft: EventDraft, opts?: { durable?: boolean }): Promise<void>;
  /** The session as it stands now, with what this run has emitted so far (for rebuilding the history mid-run). */
  current(): Transcript;
  /** Asks every attached client; resolves with the first answer (or deny on cancel/timeout). */
  requestApproval(ask: ApprovalAsk): Promise<ApprovalAnswer>;
  /** Puts a `clarify` question to every attached client; resolves with the first answer, a dismissal, a timeout or the run's end. None: nobody can be asked. */
  requestClarification?(ask: ClarifyAsk): Promise<ClarifyOutcome>;
  /** Approval rules the user granted for this session (`session` answers). */
  sessionRules: Set<string>;
  /** Values that must never reach an event: the daemon token and the HERMES_HOME/.env values. */
  secrets: readonly string[];
  /** Where terminal commands run; none means unconfined (tests that build contexts by hand). */
  sandbox?: CommandSandbox;
  /** The run's MCP servers (their tools join the built-in ones). */
  mcp?: RunMcp;
  /** Snapshots the workspace around each file-changing tool call (checkpoints); none: no checkpoints. */
  checkpoint?: { beforeTool(tool: string): Promise<void>; afterTool(tool: string): Promise<void> };
  /** web_fetch's address rules from the daemon; none: the strict defaults. */
  web?: GuardOptions;
  /** Tells the daemon a provider call is being retried (or falling back), for its log. */
  onRetry?(retry: RunRetry): void;
  /**
   * The user's steer messages waiting for this run, taken now (each is logged as `message.user`
   * with `delivery: 'steer'` in the run). Call it only at a safe boundary: every result of the
   * last tool calls recorded, the next model request not sent yet.
   */
  takeSteers?(): Promise<string[]>;
}

/** A retry of a model call, as the daemon log records it. */
export interface RunRetry {
  kind: 'retry' | 'fallback';
  model: string;
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** The error kind that caused it (rate_limit, timeout, …). */
  error: string;
}

export interface RunOutcome {
  stopReason: StopReason;
  error?: RunError;
  usage: Usage;
}

/** The agent a run drives: events out through `ctx.emit`, cancel in through `ctx.signal`. */
export interface Agent {
  run(ctx: RunContext): Promise<RunOutcome>;
  /** A manual compaction (`POST /v1/sessions/:id/compact`), run like a run; agents without it cannot compact. */
  compact?(ctx: RunContext, focus: string | undefined): Promise<RunOutcome>;
}
