import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AnyEnvelope, ApprovalAsk, EventDraft, HermesConfig } from '@hermes/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agent, RunContext, RunOutcome } from '../agent/types.js';
import { RunController, type RunEnvironment } from './run.js';
import { runEndData, runEndLevel } from './run-end.js';
import { Session } from './session.js';
import { StorageError } from '../store/storage-error.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-run-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const SID = '20261201_120000_abcdef';
const DONE: RunOutcome = { stopReason: 'done', usage: { inputTokens: 3, outputTokens: 4 } };
const ASK: ApprovalAsk = {
  toolCallId: 't1',
  tool: 'run_terminal',
  summary: 'rm -rf build',
  reasons: ['deletes'],
  choices: ['once', 'session', 'always', 'deny'],
  pattern: 'rm *',
};

async function setup(agent: Agent, config: HermesConfig = {}) {
  const file = path.join(dir, `${SID}.jsonl`);
  const { session } = await Session.load(SID, file, () => {});
  await session.append([{ type: 'session.created', data: { title: 't', model: null, workspace: dir } }]);
  const saved: string[] = [];
  const env: RunEnvironment = {
    home: dir,
    loadConfig: async () => config,
    loadEnv: async () => ({}),
    addToAllowlist: async (p) => void saved.push(p),
    secrets: async () => ['sk-very-secret-token'],
  };
  const run = new RunController(session, 'run_1', 'msg_1', undefined, agent, env, () => {});
  const prelude: EventDraft[] = [{ type: 'message.user', data: { messageId: 'msg_1', text: 'go' } }];
  const logged = async (): Promise<AnyEnvelope[]> =>
    (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AnyEnvelope);
  return { session, run, prelude, saved, logged };
}

/** An agent whose run the test drives: `ctx` once it starts, `finish` to return. */
function drivenAgent() {
  let resolveCtx!: (ctx: RunContext) => void;
  const ctx = new Promise<RunContext>((r) => (resolveCtx = r));
  let finish!: (o: RunOutcome) => void;
  const agent: Agent = {
    run: (c) => {
      resolveCtx(c);
      return new Promise<RunOutcome>((r) => (finish = r));
    },
  };
  return { agent, ctx, finish: (o: RunOutcome) => finish(o) };
}

describe('RunController', () => {
  it('writes the prelude with run.started in one append, then the agent events, then run.completed', async () => {
    const agent: Agent = {
      run: async (ctx) => {
        await ctx.emit({ type: 'notice', data: { level: 'info', message: 'working' } });
        return DONE;
      },
    };
    const { session, run, prelude, logged } = await setup(agent);
    const finished = run.start(prelude);
    await run.accepted;
    expect(run.wasAccepted).toBe(true);
    await finished;
    const events = await logged();
    expect(events.map((e) => e.type)).toEqual(['session.created', 'message.user', 'run.started', 'notice', 'run.completed']);
    expect(events.slice(2).every((e) => e.runId === 'run_1')).toBe(true);
    expect(events.at(-1)!.data).toEqual({ stopReason: 'done', usage: DONE.usage });
    expect(session.transcript.status).toBe('idle');
    await session.close();
  });

  it('the first answer to an approval wins; the agent gets that one, the log records one resolution', async () => {
    const d = drivenAgent();
    const { session, run, prelude, logged } = await setup(d.agent);
    const finished = run.start(prelude);
    const ctx = await d.ctx;
    const answer = ctx.requestApproval(ASK);
    await vi.waitFor(() => expect(session.transcript.pendingApprovals).toHaveLength(1));
    const { approvalId } = session.transcript.pendingApprovals[0]!;
    expect(run.answer(approvalId, { decision: 'once', by: 'tui' })).toBe(true);
    expect(run.answer(approvalId, { decision: 'deny', by: 'send' })).toBe(false);
    expect(await answer).toEqual({ decision: 'once', by: 'tui' });
    expect(session.resolvedApprovals.has(approvalId)).toBe(true);
    d.finish(DONE);
    await finished;
    const resolved = (await logged()).filter((e) => e.type === 'approval.resolved');
    expect(resolved.map((e) => e.data)).toEqual([{ approvalId, decision: 'once', by: 'tui' }]);
    await session.close();
  });

  it('"session" adds the pattern to the session rules; "always" saves it to the allowlist before the agent goes on', async () => {
    const d = drivenAgent();
    const { session, run, prelude, saved } = await setup(d.agent);
    const finished = run.start(prelude);
    const ctx = await d.ctx;
    const first = ctx.requestApproval({ ...ASK, pattern: 'npm test' });
    await vi.waitFor(() => expect(session.transcript.pendingApprovals).toHaveLength(1));
    run.answer(session.transcript.pendingApprovals[0]!.approvalId, { decision: 'session', by: 'tui' });
    await first;
    expect([...session.sessionRules]).toEqual(['npm test']);
    expect(saved).toEqual([]);
    const second = ctx.requestApproval({ ...ASK, toolCallId: 't2' });
    await vi.waitFor(() => expect(session.transcript.pendingApprovals.map((p) => p.toolCallId)).toEqual(['t2']));
    run.answer(session.transcript.pendingApprovals[0]!.approvalId, { decision: 'always', by: 'tui' });
    await second;
    expect(saved).toEqual(['rm *']);
    expect(session.sessionRules.has('rm *')).toBe(true);
    d.finish(DONE);
    await finished;
    await session.close();
  });

  it('a steer denies a pending tool approval with its text, and says yes to the loop guard', async () => {
    const d = drivenAgent();
    const { session, run, prelude } = await setup(d.agent);
    const finished = run.start(prelude);
    const ctx = await d.ctx;
    const tool = ctx.requestApproval(ASK);
    const guard = ctx.requestApproval({ ...ASK, toolCallId: 't2', kind: 'loop_guard', choices: ['once', 'deny'] });
    await vi.waitFor(() => expect(session.transcript.pendingApprovals).toHaveLength(2));
    run.steered('use the other folder');
    expect(await tool).toEqual({ decision: 'deny', by: 'steer', reason: 'use the other folder' });
    expect(await guard).toEqual({ decision: 'once', by: 'steer', reason: 'use the other folder' });
    d.finish(DONE);
    await finished;
    await session.close();
  });

  it('an unanswered approval is denied after approvals.timeout seconds', async () => {
    const d = drivenAgent();
    const { session, run, prelude } = await setup(d.agent, { approvals: { timeout: 1 } });
    const finished = run.start(prelude);
    const ctx = await d.ctx;
    expect(await ctx.requestApproval(ASK)).toEqual({ decision: 'deny', by: 'timeout', reason: 'no answer within 1 s' });
    d.finish(DONE);
    await finished;
    await session.close();
  }, 10_000);

  it('cancel: pending approvals are denied, an agent that ignores the signal is cut off after the grace, its late events dropped', async () => {
    const d = drivenAgent();
    const { session, run, prelude, logged } = await setup(d.agent);
    const finished = run.start(prelude);
    const ctx = await d.ctx;
    const answer = ctx.requestApproval(ASK);
    await vi.waitFor(() => expect(session.transcript.pendingApprovals).toHaveLength(1));
    run.cancel('the user pressed Esc');
    expect(ctx.signal.aborted).toBe(true);
    expect(await answer).toEqual({ decision: 'deny', by: 'cancel', reason: 'denied: cancel' });
    // The agent never returns: the run still ends, as cancelled.
    await finished;
    await ctx.emit({ type: 'notice', data: { level: 'info', message: 'too late' } });
    const events = await logged();
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', data: { stopReason: 'cancelled' } });
    expect(events.some((e) => e.type === 'notice')).toBe(false);
    expect(await ctx.requestApproval(ASK)).toEqual({ decision: 'deny', by: 'cancel', reason: 'the run was cancelled' });
    expect(session.transcript.status).toBe('idle');
    await session.close();
  }, 10_000);

  it('interrupt (shutdown) ends the run as interrupted, with a retryable error', async () => {
    const d = drivenAgent();
    const { session, run, prelude, logged } = await setup(d.agent);
    void run.start(prelude);
    await d.ctx;
    await run.interrupt();
    const end = (await logged()).at(-1)!;
    expect(end).toMatchObject({
      type: 'run.completed',
      data: { stopReason: 'interrupted', error: { kind: 'interrupted', retryable: true } },
    });
    await session.close();
  }, 10_000);

  it('an agent that throws ends the run as an internal error, not a crash', async () => {
    const agent: Agent = {
      run: async () => {
        throw new Error('boom');
      },
    };
    const { session, run, prelude, logged } = await setup(agent);
    await run.start(prelude);
    expect((await logged()).at(-1)).toMatchObject({
      type: 'run.completed',
      data: { stopReason: 'error', error: { kind: 'internal', message: 'boom', retryable: false } },
    });
    await session.close();
  });
});

describe('runEndData', () => {
  const failure = new StorageError('ENOSPC', '/x.jsonl', new Error('no space'));
  it('a storage failure makes the end an error of kind storage, unless the run was stopped first', () => {
    expect(runEndData(DONE, null, failure)).toMatchObject({ stopReason: 'error', error: { kind: 'storage', retryable: true } });
    expect(runEndData(DONE, 'cancelled', failure)).toEqual({ stopReason: 'cancelled', usage: DONE.usage });
  });
  it("the agent's error is kept only when its own stop reason stands", () => {
    const failed: RunOutcome = { ...DONE, stopReason: 'error', error: { kind: 'provider', message: 'bad key', retryable: false } };
    expect(runEndData(failed, null, null)).toEqual({ ...failed });
    expect(runEndData(failed, 'cancelled', null)).toEqual({ stopReason: 'cancelled', usage: DONE.usage });
    expect(runEndData(failed, 'interrupted', null)).toMatchObject({ stopReason: 'interrupted', error: { kind: 'interrupted' } });
  });
  it('log levels: errors as errors, done and cancelled as info, the rest as warnings', () => {
    expect([runEndLevel('error'), runEndLevel('done'), runEndLevel('cancelled'), runEndLevel('max_iterations')]).toEqual([
      'error',
      'info',
      'info',
      'warn',
    ]);
  });
});
