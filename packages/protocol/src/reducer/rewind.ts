import { TodoList, type SessionPlan } from '../plan.js';
import type { TranscriptItem } from '../transcript.js';
import type { Handlers } from './items.js';

/** Checkpoints, rewinds and the plan (which a rewind takes back to the point it returns to). */
export const rewindHandlers: Handlers<'checkpoint.created' | 'session.rewound' | 'session.unrewound' | 'plan.updated'> = {
  'checkpoint.created': (t, e) => {
    return {
      ...t,
      // Shown under the run: "3 files changed (+12 −4)".
      items: [...t.items, { kind: 'changes', seq: e.seq, runId: e.data.runId, files: e.data.files }],
      checkpoints: [...(t.checkpoints ?? []), { seq: e.seq, ...e.data }],
    };
  },
  'session.rewound': (t, e) => {
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
  },
  'session.unrewound': (t, e) => {
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
  },
  'plan.updated': (t, e) => {
    return { ...t, plan: { todos: e.data.todos, seq: e.seq, ...(e.data.toolCallId ? { toolCallId: e.data.toolCallId } : {}) } };
  },
};

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
