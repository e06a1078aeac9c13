import * as z from 'zod';
import { ApprovalDecision, Delivery, Disposition, RewindMode, RewindSkip, SessionStatus } from './common.js';
import { McpServerStatus, SessionMcpServers } from './mcp.js';
import { ClarifyAnswers, ClarifyReason } from './clarify.js';
import { CheckpointRecord, PendingApproval, PendingClarification, QueuedMessage, Transcript } from './transcript.js';

/** Limits that both sides know. */
/**
 * A client's own pid. Only a hint: the daemon checks that this process holds the connection
 * (cheap) before it scans every process for the owner; it never trusts the claim as such.
 */
export const CLIENT_PID_HEADER = 'x-hermes-pid';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_MESSAGE_CHARS = 900_000;

/** Whether the daemon can write HERMES_HOME: `failing` from a failed write until the next good one. */
export const StorageHealth = z.object({
  ok: z.boolean(),
  /** The errno code of the last failure (ENOSPC, EDQUOT, EIO, EROFS, EACCES…). */
  code: z.string().optional(),
  message: z.string().optional(),
  since: z.string().optional(),
});
export type StorageHealth = z.infer<typeof StorageHealth>;

export const HelloResponse = z.object({
  protocol: z.number().int(),
  version: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  storage: StorageHealth.optional(),
  /** Session counts: every session known, those loaded in memory, those with a run. */
  sessions: z.object({ total: z.number().int(), loaded: z.number().int(), active: z.number().int() }).optional(),
});
export type HelloResponse = z.infer<typeof HelloResponse>;

export const SessionSummary = z.object({
  id: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  workspace: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: SessionStatus,
  lastSeq: z.number().int(),
  messageCount: z.number().int().optional(),
  activeRunId: z.string().nullable().optional(),
  /** The start of the first user message (what `?q=` matches besides the title). */
  firstMessage: z.string().optional(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

/** The longest `firstMessage` a summary carries. */
export const FIRST_MESSAGE_CHARS = 200;
/** The most sessions one `GET /v1/sessions?limit=` page holds. */
export const MAX_LIST_LIMIT = 1000;

/**
 * `GET /v1/sessions[?limit=N&before=CURSOR&q=TEXT]`, most recent first. Without parameters:
 * every session, `{sessions}` only. With any: one page, `nextCursor` (null on the last page)
 * and `total` (how many match `q`).
 */
/** The model a session without its own uses now (config `model`, else HERMES_MODEL); null: none is configured. */
export const DefaultModel = z.string().nullable();

export const ListSessionsResponse = z.object({
  sessions: z.array(SessionSummary),
  defaultModel: DefaultModel.optional(),
  nextCursor: z.string().nullable().optional(),
  total: z.number().int().optional(),
});
export type ListSessionsResponse = z.infer<typeof ListSessionsResponse>;

const Title = z.string().trim().min(1).max(200);
/** `provider:model`, e.g. `openai:gpt-4.1` or `openrouter:anthropic/claude-sonnet-4.5`. */
export const ModelName = z
  .string()
  .min(3)
  .max(300)
  .regex(/^[A-Za-z0-9_-]+:\S+$/, 'a model is named provider:model, e.g. openai:gpt-4.1');

export const CreateSessionRequest = z.strictObject({
  title: Title.optional(),
  model: ModelName.optional(),
  workspace: z.string().min(1).max(4096).optional(),
  /** The session's own MCP servers (an editor's, over ACP); kept for the session's life. */
  mcpServers: SessionMcpServers.optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const SessionResponse = z.object({ session: SessionSummary });
export type SessionResponse = z.infer<typeof SessionResponse>;

export const GetSessionResponse = z.object({
  session: SessionSummary,
  transcript: Transcript,
  lastSeq: z.number().int(),
  activeRunId: z.string().nullable().optional(),
  pendingApprovals: z.array(PendingApproval),
  /** Questions of the `clarify` tool waiting for an answer (absent from older daemons). */
  pendingClarifications: z.array(PendingClarification).optional(),
  queued: z.array(QueuedMessage),
  defaultModel: DefaultModel.optional(),
});
export type GetSessionResponse = z.infer<typeof GetSessionResponse>;

export const PatchSessionRequest = z
  .strictObject({ title: Title.optional(), model: ModelName.nullable().optional() })
  .refine((v) => v.title !== undefined || v.model !== undefined, 'give title or model');
export type PatchSessionRequest = z.infer<typeof PatchSessionRequest>;

export const PostMessageRequest = z.strictObject({
  text: z.string().min(1, 'text must not be empty').max(MAX_MESSAGE_CHARS),
  requestId: z.string().min(1).max(200).optional(),
  /** Overrides the session's model for this run. */
  model: ModelName.optional(),
  /** `false`: this run reads no instruction files (`--no-instructions`). */
  instructions: z.boolean().optional(),
  /** While a run is active: `queue` (default) after it, `steer` into it, `interrupt` it. Idle: it just runs. */
  delivery: Delivery.optional(),
});
export type PostMessageRequest = z.infer<typeof PostMessageRequest>;

export const PostMessageResponse = z.object({
  messageId: z.string(),
  runId: z.string().optional(),
  /** True until the message is in a run (a steer not yet taken is queued too). */
  queued: z.boolean(),
  /** `steering`: the running run (`runId`) takes it at its next safe boundary, or it runs next. */
  disposition: Disposition.optional(),
});
export type PostMessageResponse = z.infer<typeof PostMessageResponse>;

/** `GET /v1/models`: what a model picker can offer, best known first. */
export const ModelListing = z.object({
  models: z.array(z.object({ id: z.string(), source: z.enum(['config', 'session', 'provider']) })),
  /** Why models are missing: providers that did not answer, or that the config or a session names but cannot be used. */
  errors: z.array(z.object({ provider: z.string(), message: z.string() })),
  /** The model a session without its own uses (config `model`, else HERMES_MODEL); null when none is configured. */
  default: z.string().nullable().optional(),
});
export type ModelListing = z.infer<typeof ModelListing>;

/** `DELETE /v1/sessions/:id/messages/:messageId`: a queued message withdrawn before it ran. */
export const WithdrawMessageResponse = z.object({ messageId: z.string(), withdrawn: z.literal(true) });
export type WithdrawMessageResponse = z.infer<typeof WithdrawMessageResponse>;

/** `POST /v1/sessions/:id/compact`: summarise the history now (409 while a run is active). */
export const CompactRequest = z.strictObject({
  /** What the summary should keep in particular ("the parser work"). */
  focus: z.string().trim().max(2000).optional(),
});
export type CompactRequest = z.infer<typeof CompactRequest>;

/** The outcome, once the compaction ended (its events tell the same). */
export const CompactResponse = z.object({
  compactionId: z.string(),
  runId: z.string(),
  status: z.enum(['completed', 'failed']),
  tokensBefore: z.number().int().nonnegative(),
  tokensAfter: z.number().int().nonnegative().optional(),
  error: z.object({ kind: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type CompactResponse = z.infer<typeof CompactResponse>;

export const CancelResponse = z.object({ cancelled: z.boolean(), runId: z.string().optional() });
export type CancelResponse = z.infer<typeof CancelResponse>;

/** `POST /v1/sessions/:id/approvals/:approvalId`: the answer to a pending approval. */
export const AnswerApprovalRequest = z.strictObject({
  decision: ApprovalDecision,
  reason: z.string().max(2000).optional(),
  /** With `session`/`always`: the rule to allow, the ask's `pattern` (the default) or one of its `patterns`. */
  pattern: z.string().max(1000).optional(),
  /** Who answered, for the other clients' benefit: e.g. `tui@host`, `send`. */
  by: z.string().max(100).optional(),
});
export type AnswerApprovalRequest = z.infer<typeof AnswerApprovalRequest>;

export const ApprovalResponse = z.object({ approvalId: z.string(), decision: ApprovalDecision });
export type ApprovalResponse = z.infer<typeof ApprovalResponse>;

/**
 * `POST /v1/sessions/:id/clarifications/:clarifyId`: one answer per question (the chosen option
 * labels, or typed text), or `null` to dismiss the question. 409 once it is resolved.
 */
export const ClarifyRequest = z.strictObject({
  answers: ClarifyAnswers.nullable(),
  /** Who answered, for the other clients' benefit: e.g. `tui`, `send`. */
  by: z.string().max(100).optional(),
});
export type ClarifyRequest = z.infer<typeof ClarifyRequest>;

export const ClarifyResponse = z.object({ clarifyId: z.string(), reason: ClarifyReason });
export type ClarifyResponse = z.infer<typeof ClarifyResponse>;

/** `GET /v1/sandbox`: where terminal commands run, and what they can reach. */
export const SandboxStatus = z.object({
  mode: z.enum(['auto', 'on', 'off']),
  /** `bwrap` (Linux bubblewrap), `seatbelt` (macOS sandbox-exec), or `none`. */
  kind: z.enum(['bwrap', 'seatbelt', 'none']),
  /** True when commands run inside it now. */
  active: z.boolean(),
  /** Why it is not active (off, not installed, the probe failed…). */
  reason: z.string().optional(),
  /** How to make it work. */
  hint: z.string().optional(),
  version: z.string().optional(),
  network: z.boolean(),
  /** Writable besides the session's workspace. */
  writable: z.array(z.string()),
  hidden: z.array(z.string()),
  /** Read-only even inside the workspace. */
  readOnly: z.array(z.string()),
  /** Without a working sandbox: every command that is not read-only asks (`ask`), or only flagged ones (`auto`). */
  policy: z.string(),
});
export type SandboxStatus = z.infer<typeof SandboxStatus>;

export const OkResponse = z.object({ ok: z.literal(true) });

export const ErrorCode = z.enum([
  'bad_request',
  'invalid_json',
  'invalid_id',
  'unauthorized',
  'forbidden',
  /** The request came from a process the daemon started for a tool: the agent cannot act as the user. */
  'forbidden_from_tool',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  /** 507: the daemon could not make the change durable (disk full, I/O error…). */
  'storage',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/**
 * `GET /v1/search?q=TEXT[&limit=N]` answers NDJSON: one `hit` line per match (newest sessions
 * first, then by seq), then one `end` line. Read from the logs, not from loaded sessions.
 */
export const SearchHit = z.object({
  type: z.literal('hit'),
  sessionId: z.string(),
  title: z.string(),
  seq: z.number().int(),
  role: z.enum(['user', 'assistant']),
  /** The matching text around the match, on one line, with … where it was cut. */
  snippet: z.string(),
  updatedAt: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;
export const SearchEnd = z.object({
  type: z.literal('end'),
  hits: z.number().int(),
  sessionsSearched: z.number().int(),
  /** True when `limit` stopped the search before every session was read. */
  truncated: z.boolean(),
});
export type SearchEnd = z.infer<typeof SearchEnd>;
export const SearchLine = z.discriminatedUnion('type', [SearchHit, SearchEnd]);
export type SearchLine = z.infer<typeof SearchLine>;
export const MAX_SEARCH_QUERY_CHARS = 500;

/** A storage failure on a session stream (no `id:`): the run's end could not be written. */
export const StorageErrorFrame = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() });
export type StorageErrorFrame = z.infer<typeof StorageErrorFrame>;

/** Transport frames on a session stream: no `id:`, never logged. */
export const AttachedFrame = z.object({
  lastSeq: z.number().int(),
  activeRunId: z.string().nullable(),
  pendingApprovalIds: z.array(z.string()),
  pendingClarifyIds: z.array(z.string()).optional(),
});
export type AttachedFrame = z.infer<typeof AttachedFrame>;

export const ResyncFrame = z.object({ reason: z.string(), lastSeq: z.number().int() });
export type ResyncFrame = z.infer<typeof ResyncFrame>;

/** Frames of `GET /v1/events`: changes to the session list. */
export const SessionListEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session.created'), session: SessionSummary }),
  z.object({ type: z.literal('session.updated'), session: SessionSummary }),
  z.object({ type: z.literal('session.status'), session: SessionSummary }),
  z.object({ type: z.literal('session.deleted'), sessionId: z.string() }),
  z.object({ type: z.literal('mcp.status'), server: McpServerStatus }),
]);
export type SessionListEvent = z.infer<typeof SessionListEvent>;

/** `HERMES_HOME/daemon.json`: how clients find and authenticate to the daemon. */
export const DaemonState = z.object({
  pid: z.number().int(),
  port: z.number().int(),
  token: z.string(),
  version: z.string(),
  protocol: z.number().int(),
  startedAt: z.string(),
});
export type DaemonState = z.infer<typeof DaemonState>;

/** `POST /v1/sessions/:id/rewind` (409 while a run is active). */
export const RewindRequest = z.strictObject({
  toMessageId: z.string().min(1).max(200),
  mode: RewindMode.default('both'),
  /** Restore paths changed by someone else since the agent's run too. */
  force: z.boolean().optional(),
});
export type RewindRequest = z.infer<typeof RewindRequest>;

export const RewindResponse = z.object({
  rewindId: z.string(),
  toMessageId: z.string(),
  mode: RewindMode,
  restored: z.array(z.string()),
  skipped: z.array(RewindSkip),
  text: z.string().optional(),
});
export type RewindResponse = z.infer<typeof RewindResponse>;

/** `GET /v1/sessions/:id/checkpoints`: what each run changed, oldest first. */
export const CheckpointsResponse = z.object({ checkpoints: z.array(CheckpointRecord) });
export type CheckpointsResponse = z.infer<typeof CheckpointsResponse>;
