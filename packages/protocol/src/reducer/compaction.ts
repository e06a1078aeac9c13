import type { CompactionItem } from '../transcript.js';
import { isCompaction, updateLast, type Handlers } from './items.js';

/** Compaction of the model's context, and the instruction files attached to it. */
export const compactionHandlers: Handlers<'compaction.started' | 'compaction.completed' | 'compaction.failed' | 'instructions.loaded'> = {
  'compaction.started': (t, e) => {
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
  },
  'compaction.completed': (t, e) => {
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
  },
  'compaction.failed': (t, e) => {
    return {
      ...t,
      items: updateLast(t.items, isCompaction(e.data.compactionId), (c) => ({ ...c, status: 'failed', error: e.data.error })),
    };
  },
  'instructions.loaded': (t, e) => {
    const nested = e.data.files.filter((f) => f.scope === 'nested').map((f) => f.path);
    const top = e.data.files.filter((f) => f.scope !== 'nested');
    const attached = [...new Set([...(t.attachedInstructions ?? []), ...nested])];
    return {
      ...t,
      ...(top.length > 0 || nested.length === 0 ? { instructions: top } : {}),
      ...(nested.length > 0 ? { attachedInstructions: attached } : {}),
    };
  },
};
