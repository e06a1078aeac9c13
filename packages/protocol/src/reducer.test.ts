import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyTranscript, fold, reduce } from './reducer.js';
import { HermesEvent, parseEvent, type EventDraft } from './events.js';
import type { ToolCall } from './common.js';

const SID = '20261124_120000_abcdef';

/** Builds a plausible session log from a list of drafts, numbering seqs from 1. */
function toLog(drafts: EventDraft[]): HermesEvent[] {
  return drafts.map((d, i) =>
    HermesEvent.parse({ v: 1, seq: i + 1, sessionId: SID, ts: new Date(1_700_000_000_000 + i).toISOString(), ...d }),
  );
}

const text = fc.string({ maxLength: 12 });
const draft: fc.Arbitrary<EventDraft> = fc.oneof(
  fc.record({ type: fc.constant('message.user' as const), data: fc.record({ messageId: fc.constantFrom('u1', 'u2', 'u3'), text }) }),
  fc.record({ type: fc.constant('message.queued' as const), data: fc.record({ messageId: fc.constantFrom('u2', 'u3'), text }) }),
  fc.record({ type: fc.constant('message.dequeued' as const), data: fc.record({ messageId: fc.constantFrom('u2', 'u3') }) }),
  fc.record({
    type: fc.constant('run.started' as const),
    runId: fc.constantFrom('r1', 'r2'),
    data: fc.record({ model: fc.constantFrom('openai:gpt', null) }),
  }),
  fc.record({
    type: fc.constant('message.started' as const),
    runId: fc.constant('r1'),
    data: fc.record({ messageId: fc.constantFrom('a1', 'a2') }),
  }),
  fc.record({
    type: fc.constant('message.delta' as const),
    runId: fc.constant('r1'),
    data: fc.record({ messageId: fc.constantFrom('a1', 'a2'), text }),
  }),
  fc.record({
    type: fc.constant('reasoning.delta' as const),
    runId: fc.constant('r1'),
    data: fc.record({ messageId: fc.constantFrom('a1', 'a2'), text }),
  }),
  fc.record({
    type: fc.constant('message.completed' as const),
    runId: fc.constant('r1'),
    data: fc.record({ messageId: fc.constantFrom('a1', 'a2'), text, toolCalls: fc.constant([] as ToolCall[]) }),
  }),
  fc.record({
    type: fc.constant('tool.started' as const),
    runId: fc.constant('r1'),
    data: fc.record({ toolCallId: fc.constantFrom('t1', 't2'), name: fc.constant('terminal'), args: fc.constant({ command: 'ls' }) }),
  }),
  fc.record({
    type: fc.constant('tool.output' as const),
    runId: fc.constant('r1'),
    data: fc.record({ toolCallId: fc.constantFrom('t1', 't2'), text }),
  }),
  fc.record({
    type: fc.constant('tool.completed' as const),
    runId: fc.constant('r1'),
    data: fc.record({ toolCallId: fc.constantFrom('t1', 't2'), ok: fc.boolean(), result: text, durationMs: fc.nat() }),
  }),
  fc.record({
    type: fc.constant('approval.requested' as const),
    runId: fc.constant('r1'),
    data: fc.record({
      approvalId: fc.constantFrom('p1', 'p2'),
      toolCallId: fc.constant('t1'),
      tool: fc.constant('terminal'),
      summary: text,
      reasons: fc.constant(['rm'] as string[]),
      choices: fc.constant(['once', 'deny'] as ('once' | 'deny')[]),
    }),
  }),
  fc.record({
    type: fc.constant('approval.resolved' as const),
    runId: fc.constant('r1'),
    data: fc.record({
      approvalId: fc.constantFrom('p1', 'p2'),
      decision: fc.constantFrom('once' as const, 'deny' as const),
      by: fc.constant('test'),
    }),
  }),
  fc.record({
    type: fc.constant('clarify.requested' as const),
    runId: fc.constantFrom('r1', 'r2'),
    data: fc.record({
      clarifyId: fc.constantFrom('q1', 'q2'),
      toolCallId: fc.constant('t1'),
      questions: fc.constant([{ question: 'Which?' }] as { question: string }[]),
    }),
  }),
  fc.record({
    type: fc.constant('clarify.resolved' as const),
    runId: fc.constant('r1'),
    data: fc.record({
      clarifyId: fc.constantFrom('q1', 'q2'),
      answers: fc.constantFrom(null, [['yes']] as string[][]),
      by: fc.constant('test'),
      reason: fc.constantFrom('answered' as const, 'dismissed' as const),
    }),
  }),
  fc.record({
    type: fc.constant('run.completed' as const),
    runId: fc.constantFrom('r1', 'r2'),
    data: fc.record({
      stopReason: fc.constantFrom('done' as const, 'cancelled' as const, 'error' as const),
      usage: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }),
    }),
  }),
  fc.record({ type: fc.constant('usage.updated' as const), data: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }) }),
  fc.record({
    type: fc.constant('notice' as const),
    data: fc.record({ level: fc.constantFrom('info' as const, 'warn' as const), message: text }),
  }),
  fc.record({ type: fc.constant('session.updated' as const), data: fc.record({ title: text }) }),
  fc.record({
    type: fc.constant('compaction.started' as const),
    runId: fc.constantFrom('r1', 'r2'),
    data: fc.record({
      compactionId: fc.constantFrom('c1', 'c2'),
      trigger: fc.constantFrom('auto' as const, 'manual' as const),
      tokensBefore: fc.nat(),
    }),
  }),
  fc.record({
    type: fc.constant('compaction.completed' as const),
    runId: fc.constantFrom('r1', 'r2'),
    data: fc.record({
      compactionId: fc.constantFrom('c1', 'c2'),
      summary: text,
      keptFromSeq: fc.nat(),
      tokensBefore: fc.nat(),
      tokensAfter: fc.nat(),
    }),
  }),
  fc.record({
    type: fc.constant('compaction.failed' as const),
    runId: fc.constant('r1'),
    data: fc.record({
      compactionId: fc.constantFrom('c1', 'c2'),
      error: fc.record({ kind: fc.constant('not_reduced'), message: text, retryable: fc.constant(false) }),
    }),
  }),
);
const logArb = fc
  .array(draft, { maxLength: 60 })
  .map((ds) => toLog([{ type: 'session.created', data: { title: 't', model: null, workspace: '/w' } }, ...ds]));

describe('reduce', () => {
  it('folding a prefix and then the rest equals folding all', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), (log, cut) => {
        const k = cut % (log.length + 1);
        const whole = fold(emptyTranscript(SID), log);
        const split = fold(fold(emptyTranscript(SID), log.slice(0, k)), log.slice(k));
        expect(split).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('replaying a duplicate seq changes nothing', () => {
    fc.assert(
      fc.property(logArb, fc.array(fc.nat(), { maxLength: 20 }), (log, picks) => {
        const whole = fold(emptyTranscript(SID), log);
        let t = whole;
        for (const p of picks) if (log.length) t = reduce(t, log[p % log.length]!);
        expect(t).toBe(whole);
        // Duplicates interleaved with delivery (a resumed stream that overlaps) change nothing either.
        let interleaved = emptyTranscript(SID);
        for (const [i, e] of log.entries()) {
          interleaved = reduce(interleaved, e);
          interleaved = reduce(interleaved, log[Math.max(0, i - 1)]!);
        }
        expect(interleaved).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('streams a reply, a tool call and an approval into items', () => {
    const log = toLog([
      { type: 'session.created', data: { title: 'hello', model: 'openai:x', workspace: '/w' } },
      { type: 'message.user', data: { messageId: 'u1', text: 'list files' } },
      { type: 'run.started', runId: 'r1', data: { model: 'openai:x', messageId: 'u1' } },
      { type: 'message.started', runId: 'r1', data: { messageId: 'a1' } },
      { type: 'message.delta', runId: 'r1', data: { messageId: 'a1', text: 'Sure' } },
      {
        type: 'message.completed',
        runId: 'r1',
        data: { messageId: 'a1', text: 'Sure', toolCalls: [{ id: 't1', name: 'terminal', args: { command: 'rm -rf x' } }] },
      },
      {
        type: 'approval.requested',
        runId: 'r1',
        data: {
          approvalId: 'p1',
          toolCallId: 't1',
          tool: 'terminal',
          summary: 'rm -rf x',
          reasons: ['recursive delete'],
          choices: ['once', 'session', 'always', 'deny'],
        },
      },
    ]);
    const t = fold(emptyTranscript(SID), log);
    expect(t.status).toBe('awaiting_approval');
    expect(t.activeRunId).toBe('r1');
    expect(t.items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    const done = fold(
      t,
      toLog([
        ...log.map((e) => ({ type: e.type, runId: e.runId, data: e.data }) as EventDraft),
        { type: 'approval.resolved', runId: 'r1', data: { approvalId: 'p1', decision: 'deny', by: 'tui' } },
        { type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 2 } } },
      ]),
    );
    expect(done.status).toBe('idle');
    expect(done.pendingApprovals).toEqual([]);
    expect(done.items.at(-1)).toMatchObject({ kind: 'approval', decision: 'deny', by: 'tui', summary: 'rm -rf x' });
  });

  it('a session without its own model keeps following the config: a run does not pin its model (issue 12 item 2)', () => {
    const t = fold(
      emptyTranscript(SID),
      toLog([
        { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
        { type: 'message.user', data: { messageId: 'u1', text: 'hi' } },
        { type: 'run.started', runId: 'r1', data: { model: null, messageId: 'u1' } },
        { type: 'run.completed', runId: 'r1', data: { stopReason: 'error', usage: { inputTokens: 0, outputTokens: 0 } } },
        { type: 'message.user', data: { messageId: 'u2', text: 'again' } },
        { type: 'run.started', runId: 'r2', data: { model: 'openai:gpt-4.1', messageId: 'u2' } },
      ]),
    );
    expect(t.model).toBeNull();
    // An old log's "unset" placeholder is no model either.
    const old = reduce(
      t,
      HermesEvent.parse({ v: 1, seq: 7, sessionId: SID, ts: 'x', type: 'run.started', runId: 'r3', data: { model: 'unset' } }),
    );
    expect(old.model).toBeNull();
  });

  it('moves a queued message into the conversation when its run starts', () => {
    const t = fold(
      emptyTranscript(SID),
      toLog([
        { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
        { type: 'message.queued', data: { messageId: 'u2', text: 'next' } },
      ]),
    );
    expect(t.queued).toEqual([{ messageId: 'u2', text: 'next' }]);
    const t2 = reduce(
      t,
      HermesEvent.parse({ v: 1, seq: 3, sessionId: SID, ts: 'x', type: 'message.user', data: { messageId: 'u2', text: 'next' } }),
    );
    expect(t2.queued).toEqual([]);
    expect(t2.items).toHaveLength(1);
  });

  it('a steer waits in the queue marked as such, then joins the running run as a user item marked steer', () => {
    const t = fold(
      emptyTranscript(SID),
      toLog([
        { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
        { type: 'message.user', data: { messageId: 'u1', text: 'go' } },
        { type: 'run.started', runId: 'r1', data: { model: null, messageId: 'u1' } },
        { type: 'message.queued', data: { messageId: 'u2', text: 'plain' } },
        { type: 'message.queued', data: { messageId: 'u3', text: 'steer me', delivery: 'steer' } },
      ]),
    );
    expect(t.queued).toEqual([
      { messageId: 'u2', text: 'plain' },
      { messageId: 'u3', text: 'steer me', delivery: 'steer' },
    ]);
    const t2 = reduce(
      t,
      HermesEvent.parse({
        v: 1,
        seq: 6,
        sessionId: SID,
        runId: 'r1',
        ts: 'x',
        type: 'message.user',
        data: { messageId: 'u3', text: 'steer me', delivery: 'steer' },
      }),
    );
    expect(t2.queued).toEqual([{ messageId: 'u2', text: 'plain' }]);
    expect(t2.items.at(-1)).toEqual({ kind: 'user', seq: 6, messageId: 'u3', text: 'steer me', delivery: 'steer' });
    expect(t2.activeRunId).toBe('r1');
    expect(
      parseEvent({ v: 1, seq: 7, sessionId: SID, ts: 'x', type: 'message.queued', data: { messageId: 'u4', delivery: 'sideways' } }).kind,
    ).toBe('invalid');
  });

  it('a compaction is a divider item; its end sets the context size; a start without an end folds to failed with its run', () => {
    const head: EventDraft[] = [
      { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
      { type: 'message.user', data: { messageId: 'u1', text: 'hi' } },
      { type: 'run.started', runId: 'r1', data: { model: 'openai:x' } },
      { type: 'compaction.started', runId: 'r1', data: { compactionId: 'c1', trigger: 'auto', tokensBefore: 9000 } },
    ];
    const done = fold(
      emptyTranscript(SID),
      toLog([
        ...head,
        {
          type: 'compaction.completed',
          runId: 'r1',
          data: { compactionId: 'c1', summary: '## Goal', keptFromSeq: 2, tokensBefore: 9000, tokensAfter: 1200 },
        },
      ]),
    );
    expect(done.items.at(-1)).toMatchObject({
      kind: 'compaction',
      status: 'completed',
      summary: '## Goal',
      keptFromSeq: 2,
      tokensAfter: 1200,
      trigger: 'auto',
    });
    expect(done.usage.contextTokens).toBe(1200);
    const crashed = fold(
      emptyTranscript(SID),
      toLog([
        ...head,
        { type: 'run.completed', runId: 'r1', data: { stopReason: 'interrupted', usage: { inputTokens: 0, outputTokens: 0 } } },
      ]),
    );
    expect(crashed.items.find((i) => i.kind === 'compaction')).toMatchObject({ status: 'failed', error: { kind: 'interrupted' } });
    const failed = fold(
      emptyTranscript(SID),
      toLog([
        ...head,
        {
          type: 'compaction.failed',
          runId: 'r1',
          data: { compactionId: 'c1', error: { kind: 'not_reduced', message: 'no', retryable: false } },
        },
      ]),
    );
    expect(failed.items.at(-1)).toMatchObject({ kind: 'compaction', status: 'failed', error: { kind: 'not_reduced' } });
    expect(failed.usage.contextTokens).toBeUndefined();
  });

  it('keeps the latest instruction set and the nested files attached since the last compaction', () => {
    const t = fold(
      emptyTranscript(SID),
      toLog([
        { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
        { type: 'instructions.loaded', data: { files: [{ path: '/w/AGENTS.md', bytes: 10, truncated: false, scope: 'project' }] } },
        { type: 'instructions.loaded', data: { files: [{ path: '/w/pkg/AGENTS.md', bytes: 5, truncated: false, scope: 'nested' }] } },
      ]),
    );
    expect(t.instructions?.map((f) => f.path)).toEqual(['/w/AGENTS.md']);
    expect(t.attachedInstructions).toEqual(['/w/pkg/AGENTS.md']);
    const after = reduce(
      t,
      HermesEvent.parse({
        v: 1,
        seq: 4,
        sessionId: SID,
        ts: 'x',
        type: 'compaction.completed',
        data: { compactionId: 'c', summary: 's', keptFromSeq: 4, tokensBefore: 10, tokensAfter: 2 },
      }),
    );
    expect(after.attachedInstructions).toEqual([]);
    expect(after.instructions).toEqual(t.instructions);
  });

  it('drops a withdrawn queued message from the queue, leaving the others', () => {
    const t = fold(
      emptyTranscript(SID),
      toLog([
        { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
        { type: 'message.queued', data: { messageId: 'u2', text: 'second' } },
        { type: 'message.queued', data: { messageId: 'u3', text: 'third' } },
        { type: 'message.dequeued', data: { messageId: 'u2', by: 'tui' } },
      ]),
    );
    expect(t.queued).toEqual([{ messageId: 'u3', text: 'third' }]);
    expect(t.items).toEqual([]);
  });
});

describe('parseEvent', () => {
  it('round-trips every event through JSON', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        for (const e of log) {
          const parsed = parseEvent(JSON.parse(JSON.stringify(e)));
          expect(parsed).toEqual({ kind: 'known', event: e });
        }
      }),
    );
  });

  it('skips unknown types and strips unknown fields', () => {
    expect(parseEvent({ v: 1, seq: 1, sessionId: SID, ts: 't', type: 'future.thing', data: { x: 1 } }).kind).toBe('unknown');
    const p = parseEvent({
      v: 1,
      seq: 1,
      sessionId: SID,
      ts: 't',
      type: 'notice',
      extra: true,
      data: { level: 'info', message: 'm', color: 'red' },
    });
    expect(p).toEqual({
      kind: 'known',
      event: { v: 1, seq: 1, sessionId: SID, ts: 't', type: 'notice', data: { level: 'info', message: 'm' } },
    });
    expect(parseEvent({ v: 1, seq: 0, type: 'notice' }).kind).toBe('invalid');
  });

  it("keeps a retry notice's data with the time it counts from (the event's ts)", () => {
    const retry = { attempt: 2, maxAttempts: 4, delayMs: 1500, reason: 'rate limited by openai (429)' };
    const [e] = toLog([{ type: 'notice', data: { level: 'warn', message: 'rate limited…; retrying in 1.5 s (attempt 2/4)', retry } }]);
    const item = fold(emptyTranscript(SID), [e!]).items.at(-1);
    expect(item).toMatchObject({ kind: 'notice', retry: { ...retry, at: e!.ts } });
  });
});

describe('session.rewound', () => {
  const env = (seq: number, type: string, data: unknown, runId?: string) =>
    ({ v: 1, seq, sessionId: 's', ts: `t${seq}`, type, data, ...(runId ? { runId } : {}) }) as HermesEvent;
  const files = [{ path: 'a', status: 'added' as const, additions: 1, deletions: 0 }];
  const base = [
    env(1, 'session.created', { title: 't', model: null, workspace: '/w' }),
    env(2, 'message.user', { messageId: 'm1', text: 'first' }),
    env(3, 'checkpoint.created', { runId: 'r1', before: 'b1', after: 'a1', files }, 'r1'),
    env(4, 'message.user', { messageId: 'm2', text: 'second' }),
    env(5, 'checkpoint.created', { runId: 'r2', before: 'b2', after: 'a2', files }, 'r2'),
  ];
  it("hides the items from the message on, undoes its runs' checkpoints once, keeps what it hid", () => {
    const t = fold(emptyTranscript('s'), [
      ...base,
      env(6, 'session.rewound', { rewindId: 'w', toMessageId: 'm2', mode: 'both', restored: ['a'], skipped: [] }),
    ]);
    // The first run's "files changed" line (seq 3) stays; the second's goes with its message.
    expect(t.items.map((i) => i.seq)).toEqual([2, 3]);
    expect(t.items[1]).toEqual({ kind: 'changes', seq: 3, runId: 'r1', files });
    expect(t.messageCount).toBe(1);
    expect(t.checkpoints?.map((c) => c.runId)).toEqual(['r1']);
    expect(t.rewinds?.[0]?.hidden.map((i) => i.seq)).toEqual([4, 5]);
    expect(t.rewinds?.[0]?.undone.map((c) => c.runId)).toEqual(['r2']);
  });
  it('code keeps the conversation, conversation keeps the checkpoints, an unknown message changes nothing', () => {
    const code = fold(emptyTranscript('s'), [
      ...base,
      env(6, 'session.rewound', { rewindId: 'w', toMessageId: 'm1', mode: 'code', restored: [], skipped: [] }),
    ]);
    expect(code.items.map((i) => i.kind)).toEqual(['user', 'changes', 'user', 'changes']);
    expect(code.checkpoints).toEqual([]);
    const conv = fold(emptyTranscript('s'), [
      ...base,
      env(6, 'session.rewound', { rewindId: 'w', toMessageId: 'm1', mode: 'conversation', restored: [], skipped: [] }),
    ]);
    expect(conv.items).toEqual([]);
    expect(conv.checkpoints).toHaveLength(2);
    const none = fold(emptyTranscript('s'), [
      ...base,
      env(6, 'session.rewound', { rewindId: 'w', toMessageId: 'zz', mode: 'both', restored: [], skipped: [] }),
    ]);
    expect(none.items).toHaveLength(4);
  });
  it('unrewound puts the items and checkpoints back in order, once; undo twice then redo twice walks back', () => {
    const w1 = env(6, 'session.rewound', { rewindId: 'w1', toMessageId: 'm2', mode: 'both', restored: ['a'], skipped: [] });
    const w2 = env(7, 'session.rewound', { rewindId: 'w2', toMessageId: 'm1', mode: 'both', restored: ['a'], skipped: [] });
    const all = fold(emptyTranscript('s'), base);
    const twice = fold(emptyTranscript('s'), [...base, w1, w2]);
    expect(twice.items).toEqual([]);
    const back = fold(twice, [env(8, 'session.unrewound', { rewindId: 'w2', restored: ['a'], skipped: [] })]);
    expect(back.items.map((i) => i.seq)).toEqual([2, 3]);
    expect(back.checkpoints?.map((c) => c.runId)).toEqual(['r1']);
    const again = fold(back, [env(9, 'session.unrewound', { rewindId: 'w2', restored: [], skipped: [] })]);
    expect(again).toEqual({ ...back, lastSeq: 9, updatedAt: 't9' });
    const full = fold(back, [env(9, 'session.unrewound', { rewindId: 'w1', restored: ['a'], skipped: [] })]);
    expect(full.items).toEqual(all.items);
    expect(full.messageCount).toBe(all.messageCount);
    expect(full.checkpoints).toEqual(all.checkpoints);
    expect(full.rewinds?.map((r) => r.unrewound)).toEqual([true, true]);
  });
  it('a fork records where it came from; a retry its original message', () => {
    const t = fold(emptyTranscript('f'), [
      env(1, 'session.created', { title: 't', model: null, workspace: '/w', forkedFrom: { sessionId: 'p', seq: 5 } }),
      env(2, 'message.user', { messageId: 'm3', text: 'again', retryOf: 'm2' }),
    ]);
    expect(t.forkedFrom).toEqual({ sessionId: 'p', seq: 5 });
    expect(t.items[0]).toMatchObject({ kind: 'user', retryOf: 'm2' });
  });
});

describe('clarify questions', () => {
  const q = [{ question: 'Which database?', options: [{ label: 'SQLite' }, { label: 'Postgres' }] }];
  const start: EventDraft[] = [
    { type: 'session.created', data: { title: 't', model: null, workspace: '/w' } },
    { type: 'message.user', data: { messageId: 'u1', text: 'go' } },
    { type: 'run.started', runId: 'r1', data: { model: null } },
    { type: 'clarify.requested', runId: 'r1', data: { clarifyId: 'q1', toolCallId: 't1', questions: q } },
  ];

  it('pending → awaiting_input; the first resolution ends it and leaves a transcript item; a duplicate changes nothing', () => {
    const asked = fold(emptyTranscript(SID), toLog(start));
    expect(asked.status).toBe('awaiting_input');
    expect(asked.pendingClarifications).toEqual([{ clarifyId: 'q1', toolCallId: 't1', runId: 'r1', questions: q, seq: 4 }]);
    const log = toLog([
      ...start,
      { type: 'clarify.resolved', runId: 'r1', data: { clarifyId: 'q1', answers: [['SQLite']], by: 'a', reason: 'answered' } },
      { type: 'clarify.resolved', runId: 'r1', data: { clarifyId: 'q1', answers: null, by: 'b', reason: 'dismissed' } },
    ]);
    const t = fold(emptyTranscript(SID), log);
    expect(t.status).toBe('running');
    expect(t.pendingClarifications).toEqual([]);
    const items = t.items.filter((i) => i.kind === 'clarify');
    expect(items).toEqual([
      { kind: 'clarify', seq: 5, clarifyId: 'q1', toolCallId: 't1', questions: q, answers: [['SQLite']], by: 'a', reason: 'answered' },
    ]);
  });

  it("an approval pending at the same time wins the status; the run's end clears a question it left open", () => {
    const both = fold(
      emptyTranscript(SID),
      toLog([
        ...start,
        {
          type: 'approval.requested',
          runId: 'r1',
          data: { approvalId: 'p1', toolCallId: 't2', tool: 'terminal', summary: 'rm', reasons: [], choices: ['once', 'deny'] },
        },
      ]),
    );
    expect(both.status).toBe('awaiting_approval');
    const ended = fold(
      emptyTranscript(SID),
      toLog([
        ...start,
        { type: 'run.completed', runId: 'r1', data: { stopReason: 'interrupted', usage: { inputTokens: 0, outputTokens: 0 } } },
      ]),
    );
    expect(ended.status).toBe('idle');
    expect(ended.pendingClarifications).toEqual([]);
  });

  it('a transcript from an older daemon (no pendingClarifications) still folds', () => {
    const { pendingClarifications: _gone, ...old } = emptyTranscript(SID);
    const t = fold(old, toLog(start));
    expect(t.status).toBe('awaiting_input');
  });
});
