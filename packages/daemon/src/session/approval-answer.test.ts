import type { ApprovalAnswer, ApprovalAsk } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { answerApproval } from './approval-answer.js';
import { answeredBy } from './answer-by.js';
import type { RunController } from './run.js';
import type { Session } from './session.js';

const ASK: ApprovalAsk = {
  toolCallId: 't1',
  tool: 'terminal',
  summary: 'npm test',
  reasons: [],
  choices: ['once', 'session', 'always', 'deny'],
  pattern: 'npm test',
};

/** A run with one pending approval `a1`; what it was answered with is recorded, the first answer wins. */
function fakeRun() {
  const answers: ApprovalAnswer[] = [];
  let pending = true;
  const run = {
    pendingApproval: (id: string) => (id === 'a1' && pending ? ASK : undefined),
    answer: (id: string, a: ApprovalAnswer) => {
      if (id !== 'a1' || !pending) return false;
      pending = false;
      answers.push(a);
      return true;
    },
  };
  return { run: run as unknown as RunController, answers };
}
const session = (resolved: string[]) => async () => ({ resolvedApprovals: new Set(resolved) }) as unknown as Session;

describe('answering an approval', () => {
  it('the first answer wins; a second is a conflict, an unknown id not found', async () => {
    const { run, answers } = fakeRun();
    expect(await answerApproval(run, session([]), 'a1', { decision: 'once', by: 'tui' })).toEqual({
      ok: true,
      value: { approvalId: 'a1', decision: 'once' },
    });
    expect(await answerApproval(run, session(['a1']), 'a1', { decision: 'deny', by: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await answerApproval(run, session([]), 'zz', { decision: 'deny' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(answers).toEqual([{ decision: 'once', by: 'tui' }]);
  });

  it('an answer after the run ended is found in the log (conflict), not lost (no run)', async () => {
    expect(await answerApproval(undefined, session(['a1']), 'a1', { decision: 'once' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('a rule the ask did not offer is refused before anything is answered', async () => {
    const { run, answers } = fakeRun();
    const r = await answerApproval(run, session([]), 'a1', { decision: 'always', pattern: 'rm *' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(answers).toEqual([]);
  });

  it('a client cannot pose as the daemon: every daemon name is recorded as the client claiming it', async () => {
    for (const claim of ['timeout', 'cancel', 'restart', 'shutdown', 'steer', 'run ended']) {
      const { run, answers } = fakeRun();
      await answerApproval(run, session([]), 'a1', { decision: 'deny', by: claim });
      expect(answers[0]!.by).toBe(`client (${claim})`);
    }
    expect([answeredBy(undefined), answeredBy('zed'), answeredBy('client (x)')]).toEqual(['client', 'zed', 'client (x)']);
  });
});
