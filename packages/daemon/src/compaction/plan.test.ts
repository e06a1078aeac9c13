import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompactionItem, Transcript, TranscriptItem } from '@hermes/protocol';
import { historyFromTranscript } from '../agent/history.js';
import { planCompaction, prunableBeforeNewestReply } from './plan.js';

/** A plausible transcript: turns of a user message, then replies with 0–2 tool calls each. */
const turnArb = fc.record({
  user: fc.string({ minLength: 1, maxLength: 400 }),
  replies: fc.array(
    fc.record({ text: fc.string({ maxLength: 300 }), results: fc.array(fc.string({ maxLength: 1200 }), { maxLength: 2 }) }),
    { minLength: 1, maxLength: 3 },
  ),
});

interface Turn {
  user: string;
  replies: { text: string; results: string[] }[];
}

function build(turns: Turn[]): Pick<Transcript, 'items' | 'lastSeq'> {
  const items: TranscriptItem[] = [];
  let seq = 1;
  let n = 0;
  for (const t of turns) {
    items.push({ kind: 'user', seq: seq++, messageId: `u${n++}`, text: t.user });
    for (const r of t.replies) {
      const calls = r.results.map((_, i) => ({ id: `c${n}_${i}`, name: 'read_file', args: { path: `f${i}` } }));
      items.push({ kind: 'assistant', seq: seq++, messageId: `a${n++}`, text: r.text, reasoning: '', toolCalls: calls, status: 'done' });
      seq++; // message.completed
      for (const [i, result] of r.results.entries()) {
        items.push({ kind: 'tool', seq: seq++, toolCallId: calls[i]!.id, name: 'read_file', args: {}, output: '', status: 'ok', result });
        seq++; // tool.completed
      }
    }
  }
  return { items, lastSeq: seq - 1 };
}

function applied(t: Pick<Transcript, 'items' | 'lastSeq'>, keptFromSeq: number, keptUserMessageIds: string[]): TranscriptItem[] {
  const c: CompactionItem = {
    kind: 'compaction',
    seq: t.lastSeq + 1,
    compactionId: 'c',
    trigger: 'auto',
    status: 'completed',
    tokensBefore: 0,
    tokensAfter: 0,
    summary: 'S',
    keptFromSeq,
    keptUserMessageIds,
  };
  return [...t.items, c];
}

describe('planCompaction', () => {
  it('cuts only before a user message or a reply, keeps whole call/result pairs and the kept items byte-identical', () => {
    fc.assert(
      fc.property(fc.array(turnArb, { minLength: 2, maxLength: 8 }), fc.integer({ min: 50, max: 3000 }), (turns, budget) => {
        const t = build(turns);
        const plan = planCompaction(t, { keepRecentTokens: budget, keepUserTokens: budget / 2 });
        if (!plan) return;
        const at = t.items.find((i) => i.seq === plan.keptFromSeq);
        if (at) expect(['user', 'assistant']).toContain(at.kind);
        else expect(plan.keptFromSeq).toBe(t.lastSeq + 1);
        expect(plan.summarised.length).toBeGreaterThan(0);
        const history = historyFromTranscript({ items: applied(t, plan.keptFromSeq, plan.keptUserMessageIds) });
        expect(history[0]).toMatchObject({ role: 'user' });
        expect(history[0]!.role === 'user' && history[0]!.text).toContain('<conversation_summary>');
        // Every tool result follows the reply that called it.
        let open = new Set<string>();
        for (const m of history.slice(1)) {
          if (m.role === 'tool') {
            expect(open.has(m.toolCallId)).toBe(true);
            open.delete(m.toolCallId);
          } else {
            expect(open.size).toBe(0);
            open = new Set(m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : []);
          }
        }
        // The kept tail is what the uncompacted history had at its end, byte for byte.
        const full = historyFromTranscript(t);
        const tail = history.slice(1);
        expect(JSON.stringify(full.slice(full.length - tail.length))).toBe(JSON.stringify(tail));
        // Kept user messages come from before the cut, verbatim.
        for (const id of plan.keptUserMessageIds) {
          const u = t.items.find((i) => i.kind === 'user' && i.messageId === id)!;
          expect(u.seq).toBeLessThan(plan.keptFromSeq);
          expect(history[0]!.role === 'user' && history[0]!.text).toContain(u.kind === 'user' ? u.text : '');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prefers a cut before a user message: the last turns stay whole', () => {
    const t = build([
      { user: 'one '.repeat(50), replies: [{ text: 'a'.repeat(400), results: ['r'.repeat(400)] }] },
      { user: 'two', replies: [{ text: 'b'.repeat(100), results: [] }] },
      { user: 'three', replies: [{ text: 'c'.repeat(100), results: ['x'] }] },
    ]);
    const plan = planCompaction(t, { keepRecentTokens: 60, keepUserTokens: 20 })!;
    const first = t.items.find((i) => i.seq === plan.keptFromSeq);
    expect(first).toMatchObject({ kind: 'user', text: 'three' });
    // The earlier user messages that fit the budget are kept, newest first.
    expect(plan.keptUserMessageIds).toEqual(['u2']);
  });

  it('between tool iterations keeps the current turn whole: its user message last, then its calls and results', () => {
    // The current turn (u4) is still running: two replies with big tool results, no final reply
    // yet. The tiny budget fits not even its last reply; the cut must still not pass its message.
    const t = build([
      { user: 'set up the repo', replies: [{ text: 'a'.repeat(300), results: ['r'.repeat(600)] }] },
      { user: 'add a test', replies: [{ text: 'b'.repeat(300), results: ['s'.repeat(600)] }] },
      {
        user: 'now fix the build',
        replies: [
          { text: 'c'.repeat(100), results: ['x'.repeat(2000)] },
          { text: '', results: ['y'.repeat(2000)] },
        ],
      },
    ]);
    const plan = planCompaction(t, { keepRecentTokens: 50, keepUserTokens: 50 })!;
    expect(plan).not.toBeNull();
    const current = t.items.find((i) => i.kind === 'user' && i.text === 'now fix the build')!;
    expect(plan.keptFromSeq).toBe(current.seq);
    expect(plan.summarised.some((i) => i.seq >= current.seq)).toBe(false);
    expect(plan.keptUserMessageIds).not.toContain(current.kind === 'user' && current.messageId);
    const history = historyFromTranscript({ items: applied(t, plan.keptFromSeq, plan.keptUserMessageIds) });
    // After the summary: the current user message verbatim, then every call and result of the turn.
    expect(history[1]).toEqual({ role: 'user', text: 'now fix the build' });
    const full = historyFromTranscript(t);
    const turn = full.slice(full.findIndex((m) => m.role === 'user' && m.text === 'now fix the build'));
    expect(JSON.stringify(history.slice(1))).toBe(JSON.stringify(turn));
    expect(history[0]!.role === 'user' && history[0]!.text).not.toContain('now fix the build');
  });

  it('never summarises the current turn: with only it in the live history there is nothing to plan', () => {
    const t = build([
      {
        user: 'one long task',
        replies: [
          { text: 'a', results: ['x'.repeat(4000)] },
          { text: 'b', results: ['y'.repeat(4000)] },
        ],
      },
    ]);
    expect(planCompaction(t, { keepRecentTokens: 50, keepUserTokens: 50 })).toBeNull();
    // Idle (a manual /compact after the turn ended): the finished turn may be summarised but its last reply.
    const idle = planCompaction(t, { keepRecentTokens: 50, keepUserTokens: 50 }, { idle: true })!;
    expect(t.items.find((i) => i.seq === idle.keptFromSeq)).toMatchObject({ kind: 'assistant', text: 'b' });
  });

  it('when everything fits the budget yet the context is full, keeps only the last turn', () => {
    const t = build([
      { user: 'first', replies: [{ text: 'a', results: ['x'] }] },
      { user: 'second', replies: [{ text: 'b', results: ['y'] }] },
    ]);
    const plan = planCompaction(t, { keepRecentTokens: 100_000, keepUserTokens: 100 })!;
    expect(t.items.find((i) => i.seq === plan.keptFromSeq)).toMatchObject({ kind: 'user', text: 'second' });
  });

  it('a steer that reached the running turn stays with it: the cut is at the turn start, not the steer', () => {
    const t = build([
      { user: 'first', replies: [{ text: 'a'.repeat(400), results: ['x'.repeat(800)] }] },
      { user: 'second task', replies: [{ text: 'b', results: ['y'.repeat(2000)] }] },
      { user: 'use pnpm', replies: [{ text: 'c', results: ['z'.repeat(2000)] }] },
    ]);
    const steer = t.items.find((i) => i.kind === 'user' && i.text === 'use pnpm')!;
    if (steer.kind === 'user') steer.delivery = 'steer';
    const plan = planCompaction(t, { keepRecentTokens: 50, keepUserTokens: 50 })!;
    expect(t.items.find((i) => i.seq === plan.keptFromSeq)).toMatchObject({ kind: 'user', text: 'second task' });
  });

  it("a long running turn alone: its older big outputs may be stubbed, never the newest reply's", () => {
    const t = build([
      {
        user: 'one long task',
        replies: [
          { text: 'a', results: ['x'.repeat(4000), 'short'] },
          { text: 'b', results: ['y'.repeat(4000)] },
          { text: 'c', results: ['z'.repeat(4000)] },
        ],
      },
    ]);
    const newest = t.items.filter((i) => i.kind === 'assistant').at(-1)!;
    // An overflow before any output leaves an empty reply after it.
    t.items.push({ kind: 'assistant', seq: ++t.lastSeq, messageId: 'empty', text: '', reasoning: '', toolCalls: [], status: 'partial' });
    const ids = prunableBeforeNewestReply(t);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(newest.kind === 'assistant' && newest.toolCalls.some((c) => c.id === id)).toBe(false);
    const history = historyFromTranscript({
      items: [...applied(t, 0, []).slice(0, -1), { ...applied(t, 0, []).at(-1)!, summary: '', prunedToolCallIds: ids } as CompactionItem],
    });
    expect(history[0]).toEqual({ role: 'user', text: 'one long task' });
    expect(history.filter((m) => m.role === 'tool' && m.content.includes('cleared to save context'))).toHaveLength(2);
  });

  it('has nothing to plan for a lone user message', () => {
    const t = { items: [{ kind: 'user' as const, seq: 1, messageId: 'u', text: 'hi' }], lastSeq: 1 };
    expect(planCompaction(t, { keepRecentTokens: 1000, keepUserTokens: 100 })).toBeNull();
  });
});
