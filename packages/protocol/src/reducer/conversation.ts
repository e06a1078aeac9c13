import type { AssistantItem, TranscriptItem } from '../transcript.js';
import { isAssistant, updateLast, type Handlers } from './items.js';

/** An assistant reply as it starts streaming (from `message.started`, or a `message.completed` whose start was missed). */
function newReply(seq: number, messageId: string, runId: string | undefined): AssistantItem {
  return { kind: 'assistant', seq, messageId, runId, text: '', reasoning: '', toolCalls: [], status: 'streaming' };
}

/** The session itself, its messages and its runs. */
export const conversationHandlers: Handlers<
  | 'session.created'
  | 'session.updated'
  | 'message.queued'
  | 'message.dequeued'
  | 'message.user'
  | 'run.started'
  | 'run.completed'
  | 'message.started'
  | 'message.delta'
  | 'reasoning.delta'
  | 'message.completed'
  | 'usage.updated'
  | 'notice'
> = {
  'session.created': (t, e) => {
    return {
      ...t,
      sessionId: e.sessionId,
      title: e.data.title,
      model: e.data.model,
      workspace: e.data.workspace,
      createdAt: e.ts,
      ...(e.data.forkedFrom ? { forkedFrom: e.data.forkedFrom } : {}),
    };
  },
  'session.updated': (t, e) => {
    return {
      ...t,
      title: e.data.title ?? t.title,
      model: e.data.model === undefined ? t.model : e.data.model,
    };
  },
  'message.queued': (t, e) => {
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
  },
  'message.dequeued': (t, e) => {
    return { ...t, queued: t.queued.filter((q) => q.messageId !== e.data.messageId) };
  },
  'message.user': (t, e) => {
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
  },
  'run.started': (t, e) => {
    // The run's model is not the session's: a session without one follows the config's current model.
    return { ...t, activeRunId: e.runId ?? null };
  },
  'run.completed': (t, e) => {
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
  },
  'message.started': (t, e) => {
    if (t.items.some(isAssistant(e.data.messageId))) return t;
    return {
      ...t,
      items: [...t.items, newReply(e.seq, e.data.messageId, e.runId)],
      messageCount: t.messageCount + 1,
    };
  },
  'message.delta': (t, e) => {
    return {
      ...t,
      items: updateLast(t.items, isAssistant(e.data.messageId), (m) => ({ ...m, text: m.text + e.data.text })),
    };
  },
  'reasoning.delta': (t, e) => {
    return {
      ...t,
      items: updateLast(t.items, isAssistant(e.data.messageId), (m) => ({
        ...m,
        reasoning: m.reasoning + e.data.text,
      })),
    };
  },
  'message.completed': (t, e) => {
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
    return { ...t, items: [...t.items, completed(newReply(e.seq, e.data.messageId, e.runId))], messageCount: t.messageCount + 1 };
  },
  'usage.updated': (t, e) => {
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
  },
  notice: (t, e) => {
    const { level, message, retry } = e.data;
    return {
      ...t,
      items: [...t.items, { kind: 'notice', seq: e.seq, level, message, ...(retry ? { retry: { ...retry, at: e.ts } } : {}) }],
    };
  },
};
