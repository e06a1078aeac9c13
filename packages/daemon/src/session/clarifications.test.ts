import { describe, expect, it, vi } from 'vitest';
import type { EventDraft } from '@hermes/protocol';
import { clarifyResult } from '../tool/clarify.js';
import { RunClarifications } from './clarifications.js';
import type { Session } from './session.js';

function fakeSession() {
  const appended: EventDraft[] = [];
  const session = {
    resolvedClarifications: new Set<string>(),
    append: async (drafts: EventDraft[]) => {
      appended.push(...drafts);
      return [];
    },
  };
  return { session: session as unknown as Session, appended };
}

const QS = [{ question: 'Which database?', options: [{ label: 'SQLite' }, { label: 'Postgres' }] }];

describe('RunClarifications', () => {
  it('the first answer wins; a bad shape is refused and leaves it pending', async () => {
    const { session, appended } = fakeSession();
    const c = new RunClarifications(session, 'run_1', async (d) => void appended.push(d));
    const outcome = c.request({ toolCallId: 't1', questions: QS }, undefined, false);
    await vi.waitFor(() => expect(appended.some((e) => e.type === 'clarify.requested')).toBe(true));
    const req = appended.find((e) => e.type === 'clarify.requested')!;
    const id = req.type === 'clarify.requested' ? req.data.clarifyId : '';
    expect(c.answer(id, { answers: [['SQLite', 'Postgres']], reason: 'answered', by: 'a' })).toEqual({
      ok: false,
      code: 'bad_request',
      message: 'question 1 takes one answer, got 2',
    });
    expect(c.answer(id, { answers: [['Postgres']], reason: 'answered', by: 'a' })).toEqual({ ok: true });
    expect(c.answer(id, { answers: [['SQLite']], reason: 'answered', by: 'b' })).toEqual({ ok: false, code: 'not_pending' });
    expect(await outcome).toMatchObject({ answers: [['Postgres']], by: 'a' });
    expect(session.resolvedClarifications.has(id)).toBe(true);
    expect(appended.filter((e) => e.type === 'clarify.resolved')).toHaveLength(1);
  });

  it('a steer dismisses every pending question with its text as the note; the model is told what the user said', async () => {
    const { session, appended } = fakeSession();
    const c = new RunClarifications(session, 'run_1', async (d) => void appended.push(d));
    const a = c.request({ toolCallId: 't1', questions: QS }, undefined, false);
    const b = c.request({ toolCallId: 't2', questions: QS }, undefined, false);
    await vi.waitFor(() => expect(c.size).toBe(2));
    expect(c.resolveAll({ reason: 'dismissed', by: 'steer', note: 'use MySQL' })).toBe(2);
    expect(c.resolveAll({ reason: 'dismissed', by: 'steer', note: 'again' })).toBe(0);
    const outcome = await a;
    await b;
    expect(outcome).toMatchObject({ answers: null, reason: 'dismissed', by: 'steer', note: 'use MySQL' });
    expect(appended.filter((e) => e.type === 'clarify.resolved').map((e) => e.data)).toEqual([
      expect.objectContaining({ answers: null, reason: 'dismissed', by: 'steer', note: 'use MySQL' }),
      expect.objectContaining({ answers: null, reason: 'dismissed', by: 'steer', note: 'use MySQL' }),
    ]);
    expect(clarifyResult(QS, outcome).result).toContain('said instead: "use MySQL"');
  });

  it('times out on its own; a request after the run was stopped is cancelled at once', async () => {
    vi.useFakeTimers();
    try {
      const { session, appended } = fakeSession();
      const c = new RunClarifications(session, 'run_1', async (d) => void appended.push(d));
      const p = c.request({ toolCallId: 't1', questions: QS }, 30, false);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await p).toMatchObject({ answers: null, reason: 'timeout', by: 'timeout', timeoutSec: 30 });
      expect(await c.request({ toolCallId: 't2', questions: QS }, undefined, true)).toMatchObject({ reason: 'cancelled' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('clarifyResult (what the model reads)', () => {
  it('names each question with its answers, or says nobody answered and asks for the assumption', () => {
    const two = [...QS, { question: 'Features?', options: [{ label: 'Auth' }, { label: 'Billing' }], multiSelect: true }];
    expect(clarifyResult(two, { answers: [['SQLite'], ['Auth', 'Billing']], reason: 'answered', by: 'tui' })).toEqual({
      ok: true,
      result: 'The user answered:\n"Which database?" = "SQLite"\n"Features?" = "Auth", "Billing"',
    });
    expect(clarifyResult(QS, { answers: null, reason: 'dismissed', by: 'tui' }).result).toBe(
      'The user did not answer (the user dismissed the question). Continue with your best judgement, and state the assumption you made in your reply.',
    );
    expect(clarifyResult(QS, { answers: null, reason: 'timeout', by: 'timeout', timeoutSec: 5 }).result).toMatch(/within 5 s/);
    expect(clarifyResult(QS, { answers: null, reason: 'cancelled', by: 'cancel' }).ok).toBe(false);
  });
});
