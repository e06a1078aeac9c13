import { describe, expect, it } from 'vitest';
import { HermesEvent, parseEvent, type EventDraft } from './events.js';
import { TodoList, planProgress, type Todo } from './plan.js';
import { emptyTranscript, fold } from './reducer.js';

const SID = '20261201_120000_abcdef';
const toLog = (drafts: EventDraft[]): HermesEvent[] =>
  drafts.map((d, i) => HermesEvent.parse({ v: 1, seq: i + 1, sessionId: SID, ts: new Date(1_700_000_000_000 + i).toISOString(), ...d }));

const A = [
  { content: 'read the parser', status: 'completed' as const },
  { content: 'fix the bug', status: 'in_progress' as const },
];
const B = [
  ...A.slice(0, 1),
  { content: 'fix the bug', status: 'completed' as const },
  { content: 'add a test', status: 'pending' as const },
];

/** A user turn whose run calls todo_write with `todos` (tool item + plan.updated, as the daemon emits them). */
function todoTurn(n: number, todos: Todo[]): EventDraft[] {
  const id = `t${n}`;
  return [
    { type: 'message.user', data: { messageId: `u${n}`, text: `step ${n}` } },
    { type: 'run.started', runId: `r${n}`, data: { model: null } },
    {
      type: 'message.completed',
      runId: `r${n}`,
      data: { messageId: `a${n}`, text: '', toolCalls: [{ id, name: 'todo_write', args: { todos } }] },
    },
    { type: 'tool.started', runId: `r${n}`, data: { toolCallId: id, name: 'todo_write', args: { todos } } },
    { type: 'plan.updated', runId: `r${n}`, data: { todos, toolCallId: id } },
    { type: 'tool.completed', runId: `r${n}`, data: { toolCallId: id, ok: true, result: 'ok', durationMs: 1 } },
    { type: 'run.completed', runId: `r${n}`, data: { stopReason: 'done', usage: { inputTokens: 0, outputTokens: 0 } } },
  ];
}
const created: EventDraft = { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } };

describe('the plan (plan.updated)', () => {
  it('folds to the latest list, replaced whole each time; [] clears it', () => {
    const log = toLog([created, ...todoTurn(1, A), ...todoTurn(2, B)]);
    const t = fold(emptyTranscript(SID), log);
    expect(t.plan?.todos).toEqual(B);
    expect(t.plan?.toolCallId).toBe('t2');
    expect(planProgress(t.plan!.todos)).toEqual({ done: 2, total: 3 });
    const cleared = fold(t, toLog([created, ...todoTurn(1, A), ...todoTurn(2, B), ...todoTurn(3, [])]).slice(log.length));
    expect(cleared.plan?.todos).toEqual([]);
  });

  it('is copied into a compaction when it is applied (and so kept in the model history after it)', () => {
    const log = toLog([
      created,
      ...todoTurn(1, A),
      { type: 'compaction.started', runId: 'r9', data: { compactionId: 'c1', trigger: 'manual', tokensBefore: 100 } },
      {
        type: 'compaction.completed',
        runId: 'r9',
        data: { compactionId: 'c1', summary: 's', keptFromSeq: 99, tokensBefore: 100, tokensAfter: 10 },
      },
      ...todoTurn(2, B),
    ]);
    const t = fold(emptyTranscript(SID), log);
    const c = t.items.find((i) => i.kind === 'compaction');
    expect(c).toMatchObject({ status: 'completed', plan: A });
    // The plan moves on after it; the compaction keeps the list it was applied with.
    expect(t.plan?.todos).toEqual(B);
  });

  it('a rewind gives back the plan of the point it returns to', () => {
    const log = toLog([created, ...todoTurn(1, A), ...todoTurn(2, B)]);
    const rewound = fold(emptyTranscript(SID), [
      ...log,
      ...toLog([
        ...Array(log.length).fill(created),
        { type: 'session.rewound', data: { rewindId: 'w1', toMessageId: 'u2', mode: 'conversation', restored: [], skipped: [] } },
      ]).slice(log.length),
    ]);
    expect(rewound.plan?.todos).toEqual(A);
    const toStart = fold(emptyTranscript(SID), [
      ...log,
      ...toLog([
        ...Array(log.length).fill(created),
        { type: 'session.rewound', data: { rewindId: 'w1', toMessageId: 'u1', mode: 'both', restored: [], skipped: [] } },
      ]).slice(log.length),
    ]);
    expect(toStart.plan).toBeUndefined();
    // A code-only rewind leaves the conversation, and so the plan, as it is.
    const codeOnly = fold(emptyTranscript(SID), [
      ...log,
      ...toLog([
        ...Array(log.length).fill(created),
        { type: 'session.rewound', data: { rewindId: 'w1', toMessageId: 'u1', mode: 'code', restored: [], skipped: [] } },
      ]).slice(log.length),
    ]);
    expect(codeOnly.plan?.todos).toEqual(B);
  });

  it('refuses malformed plans at the schema (an event a client cannot fold is invalid, not a crash)', () => {
    const bad = (todos: unknown) => parseEvent({ v: 1, seq: 2, sessionId: SID, ts: 'x', type: 'plan.updated', data: { todos } }).kind;
    expect(bad([{ content: 'x', status: 'done' }])).toBe('invalid');
    expect(bad([{ content: '   ', status: 'pending' }])).toBe('invalid');
    expect(bad('not a list')).toBe('invalid');
    expect(bad(Array.from({ length: 51 }, (_, i) => ({ content: `t${i}`, status: 'pending' })))).toBe('invalid');
    expect(bad([{ content: 'x'.repeat(501), status: 'pending' }])).toBe('invalid');
    expect(bad(A)).toBe('known');
    expect(TodoList.parse([{ content: '  padded  ', status: 'pending' }])).toEqual([{ content: 'padded', status: 'pending' }]);
  });
});
