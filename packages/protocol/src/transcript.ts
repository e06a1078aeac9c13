import * as z from 'zod';
import { SessionPlan, TodoList } from './plan.js';
import {
  ApprovalDecision,
  CheckpointFile,
  CompactionTrigger,
  Delivery,
  ForkedFrom,
  RewindMode,
  InstructionFile,
  NoticeLevel,
  RetryInfo,
  RunError,
  SessionStatus,
  SessionUsage,
  StopReason,
  ToolCall,
} from './common.js';
import { EventData } from './events.js';
import { ClarifyAnswers, ClarifyQuestions, ClarifyReason } from './clarify.js';

/** How much live tool output a transcript keeps per tool (the log keeps all of it). */
export const TOOL_OUTPUT_TAIL_CHARS = 16_000;

export const UserItem = z.object({
  kind: z.literal('user'),
  seq: z.number(),
  messageId: z.string(),
  text: z.string(),
  /** `false`: its run read no instruction files (`--no-instructions`). */
  instructions: z.boolean().optional(),
  /** `steer`: the user's message reached the running run between two of its steps. */
  delivery: Delivery.optional(),
  /** A retry of this earlier user message. */
  retryOf: z.string().optional(),
});

export const AssistantItem = z.object({
  kind: z.literal('assistant'),
  seq: z.number(),
  messageId: z.string(),
  runId: z.string().optional(),
  text: z.string(),
  reasoning: z.string(),
  toolCalls: z.array(ToolCall),
  status: z.enum(['streaming', 'done', 'partial']),
  providerBlocks: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const ToolItem = z.object({
  kind: z.literal('tool'),
  seq: z.number(),
  toolCallId: z.string(),
  runId: z.string().optional(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** The daemon's one-line summary of the call (`tool.started`); clients fall back to their own for older logs. */
  summary: z.string().optional(),
  /** When the tool started (its `tool.started` event's time): live elapsed times count from here. */
  startedAt: z.string().optional(),
  /** The tail of the live output. */
  output: z.string(),
  status: z.enum(['running', 'ok', 'error']),
  result: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  durationMs: z.number().optional(),
  diff: z.string().optional(),
});

export const NoticeItem = z.object({
  kind: z.literal('notice'),
  seq: z.number(),
  level: NoticeLevel,
  message: z.string(),
  /** A provider retry (see RetryInfo), with `at`: the notice's `ts`, from which its wait counts. */
  retry: RetryInfo.extend({ at: z.string() }).optional(),
});

/** The end of a run that did not simply finish: cancelled, failed, interrupted, limit hit. */
export const RunEndItem = z.object({
  kind: z.literal('run_end'),
  seq: z.number(),
  runId: z.string().optional(),
  stopReason: StopReason,
  error: RunError.optional(),
});

export const ApprovalItem = z.object({
  kind: z.literal('approval'),
  seq: z.number(),
  approvalId: z.string(),
  toolCallId: z.string(),
  tool: z.string(),
  summary: z.string(),
  decision: ApprovalDecision,
  by: z.string(),
  reason: z.string().optional(),
  /** The wider rule the answer allowed (`mcp__s__*`), when it chose one. */
  pattern: z.string().optional(),
});

/** A question the model asked (`clarify`) and how it ended. */
export const ClarifyItem = z.object({
  kind: z.literal('clarify'),
  seq: z.number(),
  clarifyId: z.string(),
  toolCallId: z.string(),
  questions: ClarifyQuestions,
  answers: ClarifyAnswers.nullable(),
  by: z.string(),
  reason: ClarifyReason,
  note: z.string().optional(),
});

/**
 * A compaction, shown as a divider: the items before it stay in the transcript; the model's
 * history starts again from its summary (see `compaction.completed`).
 */
export const CompactionItem = z.object({
  kind: z.literal('compaction'),
  seq: z.number(),
  compactionId: z.string(),
  runId: z.string().optional(),
  trigger: CompactionTrigger,
  /** `running` until its end arrives; a start without an end (a crash) folds to `failed` when its run ends. */
  status: z.enum(['running', 'completed', 'failed']),
  tokensBefore: z.number(),
  tokensAfter: z.number().optional(),
  focus: z.string().optional(),
  summary: z.string().optional(),
  keptFromSeq: z.number().optional(),
  keptUserMessageIds: z.array(z.string()).optional(),
  prunedToolCallIds: z.array(z.string()).optional(),
  error: RunError.optional(),
  /** The plan when it was applied: kept verbatim in the model's history after it. */
  plan: TodoList.optional(),
});

/** What a run changed in the workspace (`checkpoint.created`), shown under the run: "3 files changed (+12 −4)". */
export const ChangesItem = z.object({
  kind: z.literal('changes'),
  seq: z.number(),
  runId: z.string(),
  files: z.array(CheckpointFile),
});

export const TranscriptItem = z.discriminatedUnion('kind', [
  UserItem,
  AssistantItem,
  ToolItem,
  NoticeItem,
  RunEndItem,
  ApprovalItem,
  ClarifyItem,
  CompactionItem,
  ChangesItem,
]);
export type TranscriptItem = z.infer<typeof TranscriptItem>;
export type UserItem = z.infer<typeof UserItem>;
export type AssistantItem = z.infer<typeof AssistantItem>;
export type ToolItem = z.infer<typeof ToolItem>;
export type NoticeItem = z.infer<typeof NoticeItem>;
export type RunEndItem = z.infer<typeof RunEndItem>;
export type ApprovalItem = z.infer<typeof ApprovalItem>;
export type CompactionItem = z.infer<typeof CompactionItem>;
export type ClarifyItem = z.infer<typeof ClarifyItem>;
export type ChangesItem = z.infer<typeof ChangesItem>;

/** An approval still waiting for its answer: the request as it was published, with its seq. */
export const PendingApproval = EventData['approval.requested'].extend({ runId: z.string().optional(), seq: z.number() });
export type PendingApproval = z.infer<typeof PendingApproval>;

/** A `clarify` question waiting for its answer: the request as it was published, with its seq. */
export const PendingClarification = EventData['clarify.requested'].extend({ runId: z.string().optional(), seq: z.number() });
export type PendingClarification = z.infer<typeof PendingClarification>;

export const QueuedMessage = z.object({
  messageId: z.string(),
  text: z.string(),
  /** `false`: its run reads no instruction files. */
  instructions: z.boolean().optional(),
  /** `steer`: waiting for the running run's next safe boundary (else it runs next, like a queued one). */
  delivery: Delivery.optional(),
});
export type QueuedMessage = z.infer<typeof QueuedMessage>;

/** A run's record of what it changed in the workspace (`checkpoint.created`). */
export const CheckpointRecord = z.object({
  seq: z.number(),
  runId: z.string(),
  messageId: z.string().optional(),
  before: z.string(),
  after: z.string(),
  files: z.array(CheckpointFile),
});
export type CheckpointRecord = z.infer<typeof CheckpointRecord>;

export const Transcript = z.object({
  sessionId: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  workspace: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSeq: z.number(),
  items: z.array(TranscriptItem),
  queued: z.array(QueuedMessage),
  activeRunId: z.string().nullable(),
  pendingApprovals: z.array(PendingApproval),
  /** Questions of the `clarify` tool waiting for an answer (absent from older daemons). */
  pendingClarifications: z.array(PendingClarification).optional(),
  usage: SessionUsage,
  status: SessionStatus,
  messageCount: z.number(),
  /** The global and project instruction files of the latest run that loaded any. */
  instructions: z.array(InstructionFile).optional(),
  /** Nested instruction files already attached to a tool result since the last compaction. */
  attachedInstructions: z.array(z.string()).optional(),
  /** What each run changed in the workspace, oldest first. */
  checkpoints: z.array(CheckpointRecord).optional(),
  /** The current todo plan (`plan.updated`); absent until the model writes one. */
  plan: SessionPlan.optional(),
  /** Set on a fork: the parent session and the last of its events copied. Same workspace as the parent. */
  forkedFrom: ForkedFrom.optional(),
  /** Rewinds, oldest first, with the items each one hid and the checkpoints it undid. */
  rewinds: z
    .array(
      z.object({
        seq: z.number(),
        rewindId: z.string(),
        toMessageId: z.string(),
        mode: RewindMode,
        hidden: z.array(TranscriptItem),
        undone: z.array(CheckpointRecord),
        /** The paths the rewind put back, and the workspace tree just before (for unrewind). */
        restored: z.array(z.string()).optional(),
        preRestore: z.string().optional(),
        /** Taken back by `session.unrewound`: its items are visible again. */
        unrewound: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type Transcript = z.infer<typeof Transcript>;
