import type { HermesEvent } from './events.js';
import type { SessionStatus } from './common.js';
import { TodoList, type SessionPlan } from './plan.js';
import {
  TOOL_OUTPUT_TAIL_CHARS,
  type AssistantItem,
  type CompactionItem,
  type ToolItem,
  type Transcript,
  type TranscriptItem,
} from './transcript.js';

/** The transcript of a session nobody has written to yet. */
export function emptyTranscript(sessionId: string): Transcript {
  return {
    sessionId,
    title: '',
    model: null,
    workspace: '',
    createdAt: '',
    updatedAt: '',
    lastSeq: 0,
    items: [],
    queued: [],
    activeRunId: null,
    pendingApprovals: [],
    pendingClarifications: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    status: 'idle',
    messageCount: 0,
  };
}

function statusOf(t: Pick<Transcript, 'activeRunId' | 'pendingApprovals' | 'pendingClarifications'>): SessionStatus {
  if (t.pendingApprovals.length > 0) return 'awaiting_approval';
  if ((t.pendingClarifications?.length ?? 0) > 0) return 'awaiting_input';
  return t.activeRunId ? 'running' : 'idle';
}

/** Replaces the last item matching `match` (searching from the end, where live items are). */
function updateLast<T extends TranscriptItem>(
  items: TranscriptItem[],
  match: (item: TranscriptItem) => item is T,
  update: (item: T) => T,
): TranscriptItem[] {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (match(item)) {
      const next = items.slice();
      next[i] = update(item);
      return next;
    }
  }
  return items;
}

const isAssistant =
  (id: string) =>
  (item: TranscriptItem): item is AssistantItem =>
    item.kind === 'assistant' && item.messageId === id;
const isCompaction =
  (id: string) =>
  (item: TranscriptItem): item is CompactionItem =>
    item.kind === 'compaction' && item.compactionId === id;
const isTool =
  (id: string) =>
  (item: TranscriptItem): item is ToolItem =>
    item.kind === 'tool' && item.toolCallId === id;

function tail(text: string, max: number): string {
  return text.length > max ? text.slice(text.length - max) : text;
}

/**
 * The one reducer: folds an event into a transcript. Pure, and idempotent per `seq`: an event
 * at or below `lastSeq` changes nothing, so replays and duplicate deliveries are harmless.
 */
export function reduce(t: Transcript, event: HermesEvent): Transcript {
  if (event.seq <= t.lastSeq) return t;
  const base = { ...t, lastSeq: event.seq, updatedAt: event.ts };
  const next = apply(base, event);
  const status = statusOf(next);
  return status === next.status ? next : { ...next, status };
}

function apply(t: Transcript, e: HermesEvent): Transcript {
  switch (e.type) {
    case 'session.created':
      return {
        ...t,
        sessionId: e.sessionId,
        title: e.data.title,
        model: e.data.model,
        workspace: e.data.workspace,
        createdAt: e.ts,
        ...(e.data.forkedFrom ? { forkedFrom: e.data.forkedFrom } : {}),
      };
    case 'session.updated':
      return {
        ...t,
        title: e.data.title ?? t.title,
        model: e.data.model === undefined ? t.model : e.data.model,
      };
    case 'message.queued':
      if (t.queued.some((q) => q.messageId === e.data.messageId)) return t;
      return {
        ...t,
        queued: [
          ...t.queued,
          {
            messageId: e.data.messageId,
            text: e.data.text ?? '',
            ...(e.data.instructions !== undefined ? { instructions: e.data.instructions } : {}),
            ...(e.data.delivery !== undefined ? { delivery: e.data.delivery } : {}),
          },
        ],
      };
    case 'message.dequeued':
      return { ...t, queued: t.queued.filter((q) => q.messageId !== e.data.messageId) };
    case 'message.user':
      return {
        ...t,
        queued: t.queued.filter((q) => q.messageId !== e.data.messageId),
        items: [
          ...t.items,
          {
            kind: 'user',
            seq: e.seq,
            messageId: e.data.messageId,
            text: e.data.text,
            ...(e.data.instructions !== undefined ? { instructions: e.data.instructions } : {}),
            ...(e.data.delivery !== undefined ? { delivery: e.data.delivery } : {}),
            ...(e.data.retryOf !== undefined ? { retryOf: e.data.retryOf } : {}),
          },
        ],
        messageCount: t.messageCount + 1,
      };
    case 'run.started':
      // The run's model is not the session's: a session without one follows the config's current model.
      return { ...t, activeRunId: e.runId ?? null };
    case 'run.completed': {
      // Anything still streaming or running belongs to this run, which is over.
      const items = t.items.map((item): TranscriptItem => {
        if (item.kind === 'assistant' && item.status === 'streaming') return { ...item, status: 'partial' };
        if (item.kind === 'tool' && item.status === 'running') return { ...item, status: 'error' };
        if (item.kind === 'compaction' && item.status === 'running' && (!e.runId || item.runId === e.runId)) {
          return { ...item, status: 'failed', error: { kind: 'interrupted', message: 'The compaction did not finish.', retryable: true } };
        }
        return item;
      });
      if (e.data.stopReason !== 'done') {
        items.push({
          kind: 'run_end',
          seq: e.seq,
          runId: e.runId,
          stopReason: e.data.stopReason,
          ...(e.data.error ? { error: e.data.error } : {}),
        });
      }
      return {
        ...t,
        items,
        activeRunId: e.runId && t.activeRunId !== e.runId ? t.activeRunId : null,
        pendingApprovals: t.pendingApprovals.filter((p) => p.runId !== e.runId),
        pendingClarifications: (t.pendingClarifications ?? []).filter((p) => p.runId !== e.runId),
      };
    }
    case 'message.started':
      if (t.items.some(isAssistant(e.data.messageId))) return t;
      return {
        ...t,
        items: [
          ...t.items,
          {
            kind: 'assistant',
            seq: e.seq,
            messageId: e.data.messageId,
            runId: e.runId,
            text: '',
            reasoning: '',
            toolCalls: [],
            status: 'streaming',
          },
        ],
        messageCount: t.messageCount + 1,
      };
    case 'message.delta':
      return {
        ...t,
        items: updateLast(t.items, isAssistant(e.data.messageId), (m) => ({ ...m, text: m.text + e.data.text })),
      };
    case 'reasoning.delta':
      return {
        ...t,
        items: updateLast(t.items, isAssistant(e.data.messageId), (m) => ({
          ...m,
          reasoning: m.reasoning + e.data.text,
        })),
      };
    case 'message.completed': {
      const completed = (m: AssistantItem): AssistantItem => ({
        ...m,
        text: e.data.text,
        reasoning: e.data.reasoning ?? m.reasoning,
        toolCalls: e.data.toolCalls,
        status: e.data.partial ? 'partial' : 'done',
        ...(e.data.providerBlocks ? { providerBlocks: e.data.providerBlocks } : {}),
      });
      if (t.items.some(isAssistant(e.data.messageId))) {
        return { ...t, items: updateLast(t.items, isAssistant(e.data.messageId), completed) };
      }
      // The completed item is authoritative: a client that missed the start still gets the reply.
      const fresh: AssistantItem = {
        kind: 'assistant',
        seq: e.seq,
        messageId: e.data.messageId,
        runId: e.runId,
        text: '',
        reasoning: '',
        toolCalls: [],
        status: 'streaming',
      };
      return { ...t, items: [...t.items, completed(fresh)], messageCount: t.messageCount + 1 };
    }
    case 'tool.started':
      if (t.items.some(isTool(e.data.toolCallId))) return t;
      return {
        ...t,
        items: [
          ...t.items,
          {
            kind: 'tool',
            seq: e.seq,
            toolCallId: e.data.toolCallId,
            runId: e.runId,
            name: e.data.name,
            args: e.data.args,
            output: '',
            status: 'running',
          },
        ],
      };
    case 'tool.output':
      return {
        ...t,
        items: updateLast(t.items, isTool(e.data.toolCallId), (tool) => ({
          ...tool,
          output: tail(tool.output + e.data.text, TOOL_OUTPUT_TAIL_CHARS),
        })),
      };
    case 'tool.completed':
      return {
        ...t,
        items: updateLast(t.items, isTool(e.data.toolCallId), (tool) => ({
          ...tool,
          status: e.data.ok ? 'ok' : 'error',
          result: e.data.result,
          durationMs: e.data.durationMs,
          ...(e.data.exitCode !== undefined ? { exitCode: e.data.exitCode } : {}),
          ...(e.data.diff !== undefined ? { diff: e.data.diff } : {}),
        })),
      };
    case 'approval.requested':
      if (t.pendingApprovals.some((p) => p.approvalId === e.data.approvalId)) return t;
      return {
        ...t,
        pendingApprovals: [...t.pendingApprovals, { ...e.data, runId: e.runId, seq: e.seq }],
      };
    case 'approval.resolved': {
      const pending = t.pendingApprovals.find((p) => p.approvalId === e.data.approvalId);
      return {
        ...t,
        pendingApprovals: t.pendingApprovals.filter((p) => p.approvalId !== e.data.approvalId),
        items: [
          ...t.items,
          {
            kind: 'approval',
            seq: e.seq,
            approvalId: e.data.approvalId,
            toolCallId: pending?.toolCallId ?? '',
            tool: pending?.tool ?? '',
            summary: pending?.summary ?? '',
            decision: e.data.decision,
            by: e.data.by,
            ...(e.data.reason !== undefined ? { reason: e.data.reason } : {}),
          },
        ],
      };
    }
    case 'clarify.requested':
      if ((t.pendingClarifications ?? []).some((p) => p.clarifyId === e.data.clarifyId)) return t;
      return {
        ...t,
        pendingClarifications: [
          ...(t.pendingClarifications ?? []),
          { clarifyId: e.data.clarifyId, toolCallId: e.data.toolCallId, runId: e.runId, questions: e.data.questions, seq: e.seq },
        ],
      };
    case 'clarify.resolved': {
      const pending = t.pendingClarifications?.find((p) => p.clarifyId === e.data.clarifyId);
      // Only the first resolution counts (a duplicate in a log changes nothing).
      if (!pending) return t;
      return {
        ...t,
        pendingClarifications: t.pendingClarifications!.filter((p) => p.clarifyId !== e.data.clarifyId),
        items: [
          ...t.items,
          {
            kind: 'clarify',
            seq: e.seq,
            clarifyId: e.data.clarifyId,
            toolCallId: pending.toolCallId,
            questions: pending.questions,
            answers: e.data.answers,
            by: e.data.by,
            reason: e.data.reason,
            ...(e.data.note !== undefined ? { note: e.data.note } : {}),
          },
        ],
      };
    }
    case 'usage.updated': {
      const { inputTokens, outputTokens, cachedTokens, costUsd, contextTokens, contextWindow } = e.data;
      return {
        ...t,
        usage: {
          inputTokens,
          outputTokens,
          ...(cachedTokens !== undefined ? { cachedTokens } : {}),
          ...(costUsd !== undefined ? { costUsd } : {}),
          ...(contextTokens !== undefined ? { contextTokens } : {}),
          ...(contextWindow !== undefined ? { contextWindow } : {}),
        },
      };
    }
    case 'notice':
      return { ...t, items: [...t.items, { kind: 'notice', seq: e.seq, level: e.data.level, message: e.data.message }] };
    case 'compaction.started':
      if (t.items.some(isCompaction(e.data.compactionId))) return t;
      return {
        ...t,
        items: [
          ...t.items,
          {
            kind: 'compaction',
            seq: e.seq,
            compactionId: e.data.compactionId,
            runId: e.runId,
            trigger: e.data.trigger,
            status: 'running',
            tokensBefore: e.data.tokensBefore,
            ...(e.data.focus !== undefined ? { focus: e.data.focus } : {}),
          },
        ],
      };
    case 'compaction.completed': {
      const { compactionId, summary, keptFromSeq, tokensBefore, tokensAfter, keptUserMessageIds, prunedToolCallIds } = e.data;
      const done = (c: CompactionItem): CompactionItem => ({
        ...c,
        status: 'completed',
        summary,
        keptFromSeq,
        tokensBefore,
        tokensAfter,
        ...(keptUserMessageIds ? { keptUserMessageIds } : {}),
        ...(prunedToolCallIds ? { prunedToolCallIds } : {}),
        // The plan stays verbatim in the model's history: the summary must not be its only trace.
        ...(t.plan?.todos.length ? { plan: t.plan.todos } : {}),
      });
      const items = t.items.some(isCompaction(compactionId))
        ? updateLast(t.items, isCompaction(compactionId), done)
        : [
            ...t.items,
            done({ kind: 'compaction', seq: e.seq, compactionId, runId: e.runId, trigger: 'auto', status: 'running', tokensBefore }),
          ];
      // Nested instructions attached to now-summarised tool results are attached again when needed.
      return { ...t, items, usage: { ...t.usage, contextTokens: tokensAfter }, attachedInstructions: [] };
    }
    case 'compaction.failed':
      return {
        ...t,
        items: updateLast(t.items, isCompaction(e.data.compactionId), (c) => ({ ...c, status: 'failed', error: e.data.error })),
      };
    case 'instructions.loaded': {
      const nested = e.data.files.filter((f) => f.scope === 'nested').map((f) => f.path);
      const top = e.data.files.filter((f) => f.scope !== 'nested');
      const attached = [...new Set([...(t.attachedInstructions ?? []), ...nested])];
      return {
        ...t,
        ...(top.length > 0 || nested.length === 0 ? { instructions: top } : {}),
        ...(nested.length > 0 ? { attachedInstructions: attached } : {}),
      };
    }
    case 'checkpoint.created':
      return { ...t, checkpoints: [...(t.checkpoints ?? []), { seq: e.seq, ...e.data }] };
    case 'session.rewound': {
      const from = t.items.find((i) => i.kind === 'user' && i.messageId === e.data.toMessageId)?.seq;
      if (from === undefined) return t;
      const hideConversation = e.data.mode !== 'code';
      const hidden = hideConversation ? t.items.filter((i) => i.seq >= from) : [];
      // The runs of the rewound messages are undone once: a later rewind does not restore them again.
      const undone = e.data.mode !== 'conversation' ? (t.checkpoints ?? []).filter((c) => c.seq > from) : [];
      const rewind = {
        seq: e.seq,
        rewindId: e.data.rewindId,
        toMessageId: e.data.toMessageId,
        mode: e.data.mode,
        hidden,
        undone,
        restored: e.data.restored,
        ...(e.data.preRestore ? { preRestore: e.data.preRestore } : {}),
      };
      const kept = hideConversation ? t.items.filter((i) => i.seq < from) : t.items;
      const plan = hideConversation && t.plan && t.plan.seq >= from ? planFromItems(kept) : t.plan;
      return {
        ...t,
        plan,
        items: kept,
        messageCount: t.messageCount - hidden.filter((i) => i.kind === 'user').length,
        checkpoints: (t.checkpoints ?? []).filter((c) => !undone.includes(c)),
        rewinds: [...(t.rewinds ?? []), rewind],
      };
    }
    case 'plan.updated':
      return { ...t, plan: { todos: e.data.todos, seq: e.seq, ...(e.data.toolCallId ? { toolCallId: e.data.toolCallId } : {}) } };
    case 'session.unrewound': {
      const rewind = (t.rewinds ?? []).find((r) => r.rewindId === e.data.rewindId && !r.unrewound);
      if (!rewind) return t;
      const bySeq = <T extends { seq: number }>(a: T, b: T) => a.seq - b.seq;
      const items = [...t.items, ...rewind.hidden].sort(bySeq);
      // The plan a hidden todo_write had set comes back with it.
      const planned = rewind.hidden.some((i) => i.kind === 'tool' && i.name === 'todo_write');
      const plan = planned ? planFromItems(items) : t.plan;
      return {
        ...t,
        ...(plan ? { plan } : {}),
        items,
        messageCount: t.messageCount + rewind.hidden.filter((i) => i.kind === 'user').length,
        checkpoints: [...(t.checkpoints ?? []), ...rewind.undone].sort(bySeq),
        rewinds: (t.rewinds ?? []).map((r) => (r === rewind ? { ...r, unrewound: true } : r)),
      };
    }
  }
}

/**
 * The plan as of the items left after a rewind: the last successful `todo_write` among them
 * (a rewind must give back the plan of the point it returns to, not keep a later one).
 */
function planFromItems(items: readonly TranscriptItem[]): SessionPlan | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind !== 'tool' || item.name !== 'todo_write' || item.status !== 'ok') continue;
    const todos = TodoList.safeParse(item.args.todos);
    if (todos.success) return { todos: todos.data, seq: item.seq, toolCallId: item.toolCallId };
  }
  return undefined;
}

/** Folds many events; the same as calling `reduce` for each. */
export function fold(t: Transcript, events: Iterable<HermesEvent>): Transcript {
  let acc = t;
  for (const e of events) acc = reduce(acc, e);
  return acc;
}
