import * as z from 'zod';
import {
  ApprovalAnswer,
  ApprovalAsk,
  CheckpointFile,
  Delivery,
  ForkedFrom,
  RewindMode,
  RewindSkip,
  CompactionTrigger,
  InstructionFile,
  NoticeLevel,
  RetryInfo,
  RunError,
  SessionUsage,
  StopReason,
  ToolCall,
  Usage,
} from './common.js';
import { TodoList } from './plan.js';
import { ClarifyAsk, ClarifyOutcome } from './clarify.js';
import { ENVELOPE_VERSION } from './version.js';

/**
 * Event data schemas, one per event type. The fields listed are the contract; new optional
 * fields may be added. Unknown fields are stripped on parse, unknown types are skipped by
 * `parseEvent`: that is how old clients stay compatible with newer daemons.
 */
export const EventData = {
  'session.created': z.object({
    title: z.string(),
    model: z.string().nullable(),
    workspace: z.string(),
    /** A fork: the events after this one are copies of the parent's up to `seq` (the log stands alone). */
    forkedFrom: ForkedFrom.optional(),
  }),
  'session.updated': z.object({
    title: z.string().optional(),
    model: z.string().nullable().optional(),
  }),
  'message.user': z.object({
    messageId: z.string(),
    text: z.string(),
    requestId: z.string().optional(),
    /** `false`: its run reads no instruction files. */
    instructions: z.boolean().optional(),
    /** `steer`: taken into the running run (`runId`) at a safe boundary, after the tool results before it. */
    delivery: Delivery.optional(),
    /** A retry: the same text as this earlier user message, whose reply was rewound. */
    retryOf: z.string().optional(),
  }),
  /** A message that arrived while a run was active: durable now, it becomes `message.user` when its run starts. */
  'message.queued': z.object({
    messageId: z.string(),
    text: z.string().optional(),
    requestId: z.string().optional(),
    instructions: z.boolean().optional(),
    /** `steer`: waits for the running run's next safe boundary; `interrupt`: the run was cancelled for it. */
    delivery: Delivery.optional(),
  }),
  /** A queued message withdrawn before its run started (by a client, or by `send` on Ctrl-C). */
  'message.dequeued': z.object({
    messageId: z.string(),
    by: z.string().optional(),
  }),
  'run.started': z.object({
    /** The model the run starts with; null when none is configured (the agent may still find a local one). */
    model: z.string().nullable(),
    messageId: z.string().optional(),
  }),
  'run.completed': z.object({
    stopReason: StopReason,
    error: RunError.optional(),
    usage: Usage,
  }),
  'message.started': z.object({
    messageId: z.string(),
  }),
  'message.delta': z.object({
    messageId: z.string(),
    text: z.string(),
  }),
  'reasoning.delta': z.object({
    messageId: z.string(),
    text: z.string(),
  }),
  'message.completed': z.object({
    messageId: z.string(),
    text: z.string(),
    reasoning: z.string().optional(),
    toolCalls: z.array(ToolCall),
    /** The reply was cut short by a cancel or an error; the text is what arrived. */
    partial: z.boolean().optional(),
    /** Opaque provider blocks (thinking signatures) that must be sent back unchanged. */
    providerBlocks: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
  'tool.started': z.object({
    toolCallId: z.string(),
    name: z.string(),
    args: z.record(z.string(), z.unknown()),
    /** The tool's own one-line summary of the call (the command, the path...); absent in older logs and for unparsable calls. */
    summary: z.string().optional(),
  }),
  'tool.output': z.object({
    toolCallId: z.string(),
    text: z.string(),
  }),
  'tool.completed': z.object({
    toolCallId: z.string(),
    ok: z.boolean(),
    /** What the model sees. */
    result: z.string(),
    durationMs: z.number().nonnegative(),
    exitCode: z.number().int().nullable().optional(),
    /** A unified diff for file edits, for display. */
    diff: z.string().optional(),
  }),
  'approval.requested': z.object({ approvalId: z.string(), ...ApprovalAsk.shape }),
  'approval.resolved': z.object({ approvalId: z.string(), ...ApprovalAnswer.shape }),
  /** The model asked the user (the `clarify` tool); pending until `clarify.resolved`, like an approval. */
  'clarify.requested': z.object({ clarifyId: z.string(), ...ClarifyAsk.shape }),
  'clarify.resolved': z.object({ clarifyId: z.string(), ...ClarifyOutcome.shape }),
  'usage.updated': SessionUsage,
  notice: z.object({
    level: NoticeLevel,
    message: z.string(),
    /** Set when the notice says a provider call will be tried again (the message words it too). */
    retry: RetryInfo.optional(),
  }),
  /** A compaction began: the model's history is about to be summarised. */
  'compaction.started': z.object({
    compactionId: z.string(),
    trigger: CompactionTrigger,
    tokensBefore: z.number().int().nonnegative(),
    /** The model that writes the summary. */
    model: z.string().optional(),
    /** A manual compaction's focus ("/compact keep the parser work"). */
    focus: z.string().optional(),
  }),
  /**
   * A compaction applied (durable before it is published). The log is never rewritten: from
   * here on the model's history is the summary, then the kept user messages, then everything
   * from `keptFromSeq` on.
   */
  'compaction.completed': z.object({
    compactionId: z.string(),
    summary: z.string(),
    /** The first seq of the turns kept verbatim (always a user message's seq, or past the end). */
    keptFromSeq: z.number().int().nonnegative(),
    tokensBefore: z.number().int().nonnegative(),
    tokensAfter: z.number().int().nonnegative(),
    /** Earlier user messages kept verbatim (inside the summary message), oldest first. */
    keptUserMessageIds: z.array(z.string()).optional(),
    /** Kept tool results whose output is replaced by a one-line stub (pruning old outputs). */
    prunedToolCallIds: z.array(z.string()).optional(),
  }),
  /** A compaction that was not applied: the history is unchanged. */
  'compaction.failed': z.object({
    compactionId: z.string(),
    error: RunError,
  }),
  /** The instruction files of a run, when the set or a file's content changed since the last run (or a nested one was attached). */
  'instructions.loaded': z.object({
    files: z.array(InstructionFile),
  }),
  /**
   * What a run changed in the workspace (emitted at its end, only when something changed).
   * `before`/`after` are tree ids in the workspace's shadow repository under HERMES_HOME/snapshots.
   */
  'checkpoint.created': z.object({
    runId: z.string(),
    messageId: z.string().optional(),
    before: z.string(),
    after: z.string(),
    files: z.array(CheckpointFile),
  }),
  /**
   * A rewind: with `conversation`/`both` the items from the user message `toMessageId` on are
   * hidden (the log keeps them; the model's history skips them); with `code`/`both` the paths
   * the hidden runs changed were put back as they were before the earliest of those runs.
   * `preRestore` is the workspace tree just before the restore.
   */
  'session.rewound': z.object({
    rewindId: z.string(),
    toMessageId: z.string(),
    mode: RewindMode,
    restored: z.array(z.string()),
    skipped: z.array(RewindSkip),
    preRestore: z.string().optional(),
    /** The text of the rewound user message, for the input box. */
    text: z.string().optional(),
  }),
  /** The session's plan, replaced whole (`todo_write`); an empty list clears it. */
  'plan.updated': z.object({
    todos: TodoList,
    toolCallId: z.string().optional(),
  }),
  /**
   * A rewind taken back (only while no message was sent since it): its items are visible again,
   * its checkpoints count again, and the paths it restored were put back as they were just before it.
   */
  'session.unrewound': z.object({
    rewindId: z.string(),
    restored: z.array(z.string()),
    skipped: z.array(RewindSkip),
  }),
} as const;

export type EventType = keyof typeof EventData;
export const EVENT_TYPES = Object.keys(EventData) as EventType[];
export type EventDataOf<T extends EventType> = z.infer<(typeof EventData)[T]>;

const envelopeFields = {
  v: z.literal(ENVELOPE_VERSION),
  seq: z.number().int().positive(),
  sessionId: z.string(),
  runId: z.string().optional(),
  ts: z.string(),
};

function envelopeOf<T extends EventType>(type: T) {
  return z.object({ ...envelopeFields, type: z.literal(type), data: EventData[type] });
}

/** One envelope schema per entry of `EventData`: a new event is one edit there, nothing here. */
type Envelope<T extends EventType> = ReturnType<typeof envelopeOf<T>>;
type KnownEnvelope = { [T in EventType]: Envelope<T> }[EventType];

/**
 * Envelope schemas are built on first use, one type at a time: a short-lived client (`send`)
 * builds the few it meets instead of all of them at start-up.
 */
const envelopeSchemas = new Map<EventType, KnownEnvelope>();
function envelopeSchema(type: EventType): KnownEnvelope {
  let schema = envelopeSchemas.get(type);
  if (!schema) envelopeSchemas.set(type, (schema = envelopeOf(type) as KnownEnvelope));
  return schema;
}

/** Every known event, discriminated by `type` (built on first use). */
export const HermesEvent = z.lazy(() =>
  z.discriminatedUnion('type', EVENT_TYPES.map(envelopeSchema) as [KnownEnvelope, ...KnownEnvelope[]]),
);
export type HermesEvent = z.infer<typeof HermesEvent>;
export type EventOf<T extends EventType> = Extract<HermesEvent, { type: T }>;

/** The envelope of any event, known type or not. */
export const AnyEnvelope = z.object({ ...envelopeFields, type: z.string(), data: z.unknown() });
export type AnyEnvelope = z.infer<typeof AnyEnvelope>;

/** An event before the log gives it a `seq`: what an agent run emits. */
export type EventDraft = {
  [T in EventType]: { type: T; runId?: string; data: EventDataOf<T> };
}[EventType];

export type ParsedEvent =
  | { kind: 'known'; event: HermesEvent }
  | { kind: 'unknown'; envelope: AnyEnvelope }
  | { kind: 'invalid'; message: string };

/**
 * Parses one envelope from the wire or the log. Unknown types come back as `unknown`, to be
 * skipped; a known type with bad data is `invalid`.
 */
export function parseEvent(value: unknown): ParsedEvent {
  // One parse per event: a known type is checked (envelope and data) by its own schema alone.
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && Object.hasOwn(EventData, type)) {
    const event = envelopeSchema(type as EventType).safeParse(value);
    if (!event.success) return { kind: 'invalid', message: z.prettifyError(event.error) };
    return { kind: 'known', event: event.data as HermesEvent };
  }
  const envelope = AnyEnvelope.safeParse(value);
  if (!envelope.success) return { kind: 'invalid', message: z.prettifyError(envelope.error) };
  return { kind: 'unknown', envelope: envelope.data };
}

/** Parses one known event; unknown and invalid ones give `null`. */
export function parseKnownEvent(value: unknown): HermesEvent | null {
  const parsed = parseEvent(value);
  return parsed.kind === 'known' ? parsed.event : null;
}
