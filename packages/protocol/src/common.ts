import * as z from 'zod';

export const StopReason = z.enum(['done', 'cancelled', 'error', 'interrupted', 'max_iterations']);
export type StopReason = z.infer<typeof StopReason>;

export const ErrorKind = z.enum([
  'auth',
  'rate_limit',
  'quota_exhausted',
  'context_length_exceeded',
  'overloaded',
  'server_error',
  'truncated_stream',
  'invalid_response',
  'invalid_request',
  'network',
  'timeout',
  'not_configured',
  /** The daemon could not write the session's log (disk full, quota, I/O error, read-only). */
  'storage',
  'internal',
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

/** A run's failure, as the user sees it: what happened, and what to do about it. */
export const RunError = z.object({
  kind: z.union([ErrorKind, z.string()]),
  message: z.string(),
  hint: z.string().optional(),
  retryable: z.boolean(),
});
export type RunError = z.infer<typeof RunError>;

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

/** A session's latest usage (`usage.updated`): a call's usage, and how full the context is. */
export const SessionUsage = Usage.extend({
  contextTokens: z.number().int().nonnegative().optional(),
  contextWindow: z.number().int().positive().optional(),
});
export type SessionUsage = z.infer<typeof SessionUsage>;

export const ApprovalDecision = z.enum(['once', 'session', 'always', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

/**
 * What a run asks the user before a step: the one approval shape. `approval.requested` adds
 * its id, a pending approval its seq and run.
 */
export const ApprovalAsk = z.object({
  toolCallId: z.string(),
  tool: z.string(),
  summary: z.string(),
  reasons: z.array(z.string()),
  choices: z.array(ApprovalDecision),
  /** The rule a `session` or `always` answer would allow. */
  pattern: z.string().optional(),
  /** Wider rules such an answer may choose instead (`pattern` on the answer): an MCP tool's whole server, `mcp__s__*`. */
  patterns: z.array(z.string()).optional(),
  diff: z.string().optional(),
  /**
   * `loop_guard`: not a tool approval but "the same call keeps failing: continue?" (`once` = continue, `deny` = stop).
   * `mcp_project`: start the MCP servers of the workspace's `.mcp.json` (`once` this run, `session`, `always` while
   * the file's content stays the same, `deny`); the summary lists them.
   */
  kind: z.enum(['tool', 'loop_guard', 'mcp_project']).optional(),
  /** The command would run outside the sandbox (the model asked `sandbox: false`): cards say so. */
  outsideSandbox: z.boolean().optional(),
});
export type ApprovalAsk = z.infer<typeof ApprovalAsk>;

/** How an approval was answered: `approval.resolved` adds its id. */
export const ApprovalAnswer = z.object({
  decision: ApprovalDecision,
  by: z.string(),
  reason: z.string().optional(),
  /** The rule a `session`/`always` answer allowed, when the client chose one of the ask's `patterns`. */
  pattern: z.string().optional(),
  /** What the daemon itself saw of the answering client (its process), beside the client's claim in `by`. */
  client: z.object({ pid: z.number().int().optional(), program: z.string().optional() }).optional(),
});
export type ApprovalAnswer = z.infer<typeof ApprovalAnswer>;

export const NoticeLevel = z.enum(['info', 'warn', 'error']);
export type NoticeLevel = z.infer<typeof NoticeLevel>;

/**
 * A provider call is tried again (a `notice`'s `retry`): attempt `attempt` of `maxAttempts`
 * starts `delayMs` after the notice's `ts`. `reason`: why ("rate limited by openai (429)").
 * Clients count the wait down from it instead of quoting the notice's fixed text.
 */
export const RetryInfo = z.object({
  attempt: z.number().int().positive(),
  maxAttempts: z.number().int().positive(),
  delayMs: z.number().nonnegative(),
  reason: z.string(),
});
export type RetryInfo = z.infer<typeof RetryInfo>;

/** `awaiting_input`: the model asked the user a question (`clarify`) and waits for the answer. */
export const SessionStatus = z.enum(['idle', 'running', 'awaiting_approval', 'awaiting_input']);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const ToolCall = z.object({
  id: z.string(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** Raw arguments text when it did not parse as a JSON object; such a call is never executed. */
  invalidArgs: z.string().optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** What started a compaction: the threshold, a user's `/compact`, or a provider's context-length error. */
export const CompactionTrigger = z.enum(['auto', 'manual', 'overflow']);
export type CompactionTrigger = z.infer<typeof CompactionTrigger>;

/** One instruction file as loaded for a run (AGENTS.md & co). */
export const InstructionFile = z.object({
  /** Absolute path. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Cut at the per-file or total cap; the model was told to `read_file` the rest. */
  truncated: z.boolean(),
  /** `global` (HERMES_HOME), `project` (root → workspace) or `nested` (below the workspace, attached to a tool result). */
  scope: z.enum(['global', 'project', 'nested']).optional(),
  /** Of the content as read (imports expanded): tells a changed file from an unchanged one. */
  sha256: z.string().optional(),
});
export type InstructionFile = z.infer<typeof InstructionFile>;

/** One file a run changed, as its checkpoint records it. */
export const CheckpointFile = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted']),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
});
export type CheckpointFile = z.infer<typeof CheckpointFile>;

/** What a rewind undoes: the conversation from a user message on, the files its runs changed, or both. */
export const RewindMode = z.enum(['both', 'conversation', 'code']);
export type RewindMode = z.infer<typeof RewindMode>;

/** A path a code rewind left alone, and why. */
export const RewindSkip = z.object({ path: z.string(), reason: z.string() });
export type RewindSkip = z.infer<typeof RewindSkip>;

/**
 * How a message posted while a run is active is delivered: `queue` runs it after the run (and
 * after every message queued before it); `steer` hands it to the running run at its next safe
 * boundary (after the current tool results, before the next model request); `interrupt`
 * cancels the run (its partial reply kept), then the message runs.
 */
export const Delivery = z.enum(['queue', 'steer', 'interrupt']);
export type Delivery = z.infer<typeof Delivery>;

/** What became of a posted message: it started a run, it waits in the queue, or it steers the running run. */
export const Disposition = z.enum(['started', 'queued', 'steering']);
export type Disposition = z.infer<typeof Disposition>;
/** Where a forked session came from: the parent and the last of its events the fork copied. */
export const ForkedFrom = z.object({ sessionId: z.string(), seq: z.number().int().nonnegative() });
export type ForkedFrom = z.infer<typeof ForkedFrom>;
