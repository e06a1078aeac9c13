import type { AgentContext, RequestPermissionResponse } from '@agentclientprotocol/sdk';
import type { AnswerApprovalRequest, EventOf } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import type { DaemonClient } from '../client/api.js';
import { ApiError } from '../client/errors.js';
import type { AcpLog } from './log.js';
import { answerOf, permissionContent, PermissionBridge, permissionOptions } from './permission.js';

const approval = (over: Partial<EventOf<'approval.requested'>['data']> = {}): EventOf<'approval.requested'> => ({
  v: 1,
  seq: 3,
  sessionId: 's1',
  runId: 'r1',
  ts: '2026-12-01T10:00:00.000Z',
  type: 'approval.requested',
  data: {
    approvalId: 'a1',
    toolCallId: 't1',
    tool: 'terminal',
    summary: 'rm -rf build',
    reasons: ['recursive delete'],
    choices: ['once', 'session', 'always', 'deny'],
    pattern: 'rm -rf build',
    ...over,
  },
});

const quietLog: AcpLog = { file: null, tracing: false, info() {}, warn() {}, error() {}, trace() {}, close: async () => {} };

/** A fake editor whose answer the test controls, and a fake daemon that records answers. */
function harness(
  answer: (signal: AbortSignal) => Promise<RequestPermissionResponse>,
  opts: { connection?: AbortController; postFails?: Error } = {},
) {
  const answers: { sessionId: string; approvalId: string; req: AnswerApprovalRequest }[] = [];
  const requests: unknown[] = [];
  const editor = {
    request: (_method: string, params: unknown, o: { cancellationSignal: AbortSignal }) => {
      requests.push(params);
      return answer(o.cancellationSignal);
    },
  } as unknown as AgentContext;
  const daemon = {
    answerApproval: async (sessionId: string, approvalId: string, req: AnswerApprovalRequest) => {
      if (opts.postFails) throw opts.postFails;
      answers.push({ sessionId, approvalId, req });
      return { approvalId, decision: req.decision };
    },
  } as unknown as DaemonClient;
  const bridge = new PermissionBridge(editor, async () => daemon, 'acp (zed)', quietLog, (opts.connection ?? new AbortController()).signal);
  return { bridge, answers, requests };
}

const target = (e = approval()) => ({ sessionId: 's1', approval: e, toolCall: { toolCallId: e.data.toolCallId, title: e.data.summary } });

describe('hermes approvals as ACP permission requests', () => {
  it('offers exactly the choices hermes allows', () => {
    expect(permissionOptions({ choices: ['once', 'session', 'always', 'deny'] })).toEqual([
      { optionId: 'once', name: 'Allow once', kind: 'allow_once' },
      { optionId: 'session', name: 'Allow for this session', kind: 'allow_always' },
      { optionId: 'always', name: 'Always allow', kind: 'allow_always' },
      { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
    ]);
    expect(permissionOptions({ choices: ['once', 'deny'] }).map((o) => o.optionId)).toEqual(['once', 'deny']);
  });

  it("an MCP tool's whole server is an option of its own, and only an offered rule is taken", () => {
    const ask = { choices: ['once', 'session', 'always', 'deny'] as const, patterns: ['mcp__fs__*'] };
    const options = permissionOptions({ ...ask, choices: [...ask.choices] });
    expect(options[3]).toEqual({ optionId: 'always:mcp__fs__*', name: 'Always allow every tool of fs', kind: 'allow_always' });
    expect(answerOf({ outcome: { outcome: 'selected', optionId: 'always:mcp__fs__*' } }, { ...ask, choices: [...ask.choices] })).toEqual({
      decision: 'always',
      pattern: 'mcp__fs__*',
    });
    // An editor naming a rule nobody offered gets a deny, not a wider allow.
    expect(answerOf({ outcome: { outcome: 'selected', optionId: 'always:mcp__*' } }, { ...ask, choices: [...ask.choices] }).decision).toBe(
      'deny',
    );
  });

  it('an answer outside the offered choices denies (no escalation to "always")', () => {
    expect(answerOf({ outcome: { outcome: 'selected', optionId: 'always' } }, { choices: ['once', 'deny'] }).decision).toBe('deny');
    expect(answerOf({ outcome: { outcome: 'selected', optionId: 'yolo' } }, { choices: ['once', 'deny'] }).decision).toBe('deny');
    expect(answerOf({ outcome: { outcome: 'cancelled' } }, { choices: ['once', 'deny'] })).toEqual({
      decision: 'deny',
      reason: 'cancelled in the editor',
    });
    expect(answerOf({ outcome: { outcome: 'selected', optionId: 'session' } }, { choices: ['once', 'session', 'deny'] })).toEqual({
      decision: 'session',
    });
  });

  it('shows the command, and why it is asked', () => {
    const c = permissionContent(approval(), { command: 'rm -rf build' }, '/ws');
    expect(JSON.stringify(c)).toContain('```\\nrm -rf build\\n```');
    expect(JSON.stringify(c)).toContain('recursive delete');
  });

  it('shows an edit as its diff', () => {
    const e = approval({ tool: 'patch', summary: 'edit a.ts', diff: '--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-x\n+y\n' });
    expect(permissionContent(e, { path: 'a.ts', old_string: 'x', new_string: 'y' }, '/ws')).toEqual([
      { type: 'diff', path: '/ws/a.ts', oldText: 'x', newText: 'y' },
    ]);
  });

  it('posts the editor’s answer, naming the editor', async () => {
    const h = harness(async () => ({ outcome: { outcome: 'selected', optionId: 'once' } }));
    await h.bridge.ask(target());
    expect(h.answers).toEqual([{ sessionId: 's1', approvalId: 'a1', req: { decision: 'once', by: 'acp (zed)' } }]);
    expect(h.requests[0]).toMatchObject({ sessionId: 's1', toolCall: { toolCallId: 't1' } });
  });

  it('withdrawn (answered elsewhere): the request is cancelled and nothing is posted', async () => {
    const h = harness((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))));
    const asked = h.bridge.ask(target());
    expect(h.bridge.pendingCount).toBe(1);
    h.bridge.withdraw('a1');
    await asked;
    expect(h.answers).toEqual([]);
    expect(h.bridge.pendingCount).toBe(0);
  });

  it('asks once per approval, even when announced twice', async () => {
    let release!: () => void;
    const h = harness(() => new Promise((r) => (release = () => r({ outcome: { outcome: 'selected', optionId: 'deny' } }))));
    const a = h.bridge.ask(target());
    await h.bridge.ask(target());
    release();
    await a;
    expect(h.requests).toHaveLength(1);
    expect(h.answers.map((x) => x.req.decision)).toEqual(['deny']);
  });

  it('a request the editor fails counts as a denial; an editor gone denies nothing', async () => {
    const h = harness(async () => Promise.reject(new Error('Method not found')));
    await h.bridge.ask(target());
    expect(h.answers.map((a) => a.req)).toEqual([{ decision: 'deny', by: 'acp (zed)', reason: 'the editor could not ask for permission' }]);

    const gone = new AbortController();
    gone.abort();
    const g = harness(async () => Promise.reject(new Error('ACP connection closed')), { connection: gone });
    await g.bridge.ask(target());
    expect(g.answers).toEqual([]);
  });

  it('a 409 from the daemon (answered elsewhere first) is not an error', async () => {
    const h = harness(async () => ({ outcome: { outcome: 'selected', optionId: 'once' } }), {
      postFails: new ApiError(409, 'conflict', 'already resolved'),
    });
    await expect(h.bridge.ask(target())).resolves.toBeUndefined();
  });
});
