import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SessionNotification } from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import { DaemonState } from '@hermes/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acpValidator, agentText, initParams, isUpdate, startAcp, type AcpHarness, type Seen } from './support/acp.js';
import { readLogFile, rawRequest, readSse, removeHome, tempHome } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';
import { Tui } from './support/tui.js';

const validate = acpValidator();

/** Every line on stdout is exactly one valid ACP message: nothing else, ever. */
function expectCleanStdout(h: AcpHarness): void {
  expect(h.lines.length).toBeGreaterThan(0);
  for (const line of h.lines) {
    let message: unknown;
    expect(() => (message = JSON.parse(line)), `not JSON: ${line.slice(0, 200)}`).not.toThrow();
    expect({ line: line.slice(0, 300), error: validate(message, h.requests) }).toEqual({ line: line.slice(0, 300), error: null });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForLog(
  home: string,
  id: string,
  pred: (e: { type: string; data: Record<string, unknown> }) => boolean,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await readLogFile(home, id).catch(() => [])).find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error('timed out waiting for the event in the log');
    await sleep(100);
  }
}

const updatesAfter = (seen: readonly Seen[], from: number): SessionNotification['update'][] =>
  seen.slice(from).flatMap((s) => (s.kind === 'update' ? [s.n.update] : []));

describe('the schema check itself', () => {
  it('rejects what is not an ACP message', () => {
    expect(
      validate({
        jsonrpc: '2.0',
        method: 'session/update',
        params: { sessionId: 's', update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hi' } } },
      }),
    ).toBeNull();
    expect(validate({ jsonrpc: '1.0', id: 1, result: {} })).not.toBeNull();
    expect(
      validate({
        jsonrpc: '2.0',
        method: 'session/update',
        params: { sessionId: 's', update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text' } } },
      }),
    ).not.toBeNull();
    expect(
      validate({
        jsonrpc: '2.0',
        method: 'session/update',
        params: { sessionId: 's', update: { sessionUpdate: 'tool_call', toolCallId: 't', title: 'x', kind: 'shell' } },
      }),
    ).not.toBeNull();
    expect(validate({ jsonrpc: '2.0', method: 'hermes/debug', params: {} })).not.toBeNull();
    expect(validate('Welcome back!')).not.toBeNull();
    const requests = new Map([[7, 'session/prompt']]);
    expect(validate({ jsonrpc: '2.0', id: 7, result: { stopReason: 'end_turn' } }, requests)).toBeNull();
    expect(validate({ jsonrpc: '2.0', id: 7, result: { stopReason: 'done' } }, requests)).not.toBeNull();
    expect(validate({ jsonrpc: '2.0', id: 8, result: {} }, requests)).not.toBeNull();
  });
});

describe('hermes acp (real daemon, scripted provider)', () => {
  let stack: Stack;
  let ws: string;
  const open: AcpHarness[] = [];
  const bridge = (env?: Record<string, string>) => {
    const h = startAcp({ home: stack.home, ...(env ? { env } : {}) });
    open.push(h);
    return h;
  };

  beforeAll(async () => {
    stack = await startStack();
    ws = await tempHome('hermes-acp-ws-');
  });
  afterEach(async () => {
    for (const h of open.splice(0)) {
      await h.close();
      expectCleanStdout(h);
    }
  });
  afterAll(async () => {
    await stack.close();
    await removeHome(ws);
  });

  it('initialize → capabilities; session/new is a daemon session in that workspace; a prompt streams and ends end_turn', async () => {
    const h = bridge();
    const init = await h.agent.request('initialize', initParams);
    expect(init.protocolVersion).toBe(1);
    expect(init.agentInfo?.name).toBe('hermes');
    expect(init.agentCapabilities?.loadSession).toBe(true);
    expect(init.agentCapabilities?.promptCapabilities?.embeddedContext).toBe(true);
    expect(init.agentCapabilities?.sessionCapabilities?.list).toEqual({});
    expect(init.authMethods).toEqual([]);

    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const list = (await rawRequest(stack.daemon.state, 'GET', '/v1/sessions')).json() as { sessions: { id: string; workspace: string }[] };
    expect(list.sessions.find((s) => s.id === sessionId)?.workspace).toBe(ws);

    const res = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hello from the editor' }] });
    expect(res.stopReason).toBe('end_turn');
    expect(h.seen.filter(isUpdate('agent_message_chunk')).length).toBeGreaterThan(1);
    expect(agentText(h.seen)).toBe('You said: hello from the editor');
    // The editor shows its own prompt already: it is not echoed back.
    expect(h.seen.some(isUpdate('user_message_chunk'))).toBe(false);

    const listed = await h.agent.request('session/list', { cwd: ws });
    expect(listed.sessions.map((s) => s.sessionId)).toEqual([sessionId]);
    expect(listed.sessions[0]!.cwd).toBe(ws);
  });

  it('embedded context reaches the model as a fenced file block', async () => {
    const h = bridge();
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const file = path.join(ws, 'notes.md');
    await h.agent.request('session/prompt', {
      sessionId,
      prompt: [
        { type: 'text', text: 'summarise' },
        { type: 'resource', resource: { uri: `file://${file}`, text: 'line one\n', mimeType: 'text/markdown' } },
      ],
    });
    const got = (await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${sessionId}`)).json() as {
      transcript: { items: { kind: string; text: string }[] };
    };
    expect(got.transcript.items[0]!.text).toBe(`summarise\n\n[file: ${file}]\n\`\`\`\nline one\n\`\`\``);
  });

  it('approval: tool_call first, then session/request_permission with the command; allow_once resolves it', async () => {
    const h = bridge();
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const res = await h.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: '/tool terminal {"command":"rm -rf build"}' }],
    });
    expect(res.stopReason).toBe('end_turn');

    const callAt = h.seen.findIndex(isUpdate('tool_call'));
    const askAt = h.seen.findIndex((s) => s.kind === 'permission');
    expect(callAt).toBeGreaterThanOrEqual(0);
    expect(askAt).toBeGreaterThan(callAt);
    const call = (h.seen[callAt] as Extract<Seen, { kind: 'update' }>).n.update;
    expect(call).toMatchObject({ sessionUpdate: 'tool_call', kind: 'execute', title: 'rm -rf build', status: 'pending' });
    const ask = h.seen[askAt] as Extract<Seen, { kind: 'permission' }>;
    expect(ask.params.toolCall.toolCallId).toBe((call as { toolCallId: string }).toolCallId);
    expect(JSON.stringify(ask.params.toolCall.content)).toContain('rm -rf build');
    expect(ask.params.options.map((o) => o.kind)).toContain('allow_once');
    expect(ask.params.options.find((o) => o.kind === 'reject_once')?.optionId).toBe('deny');

    const resolved = await waitForLog(stack.home, sessionId, (e) => e.type === 'approval.resolved');
    expect(resolved.data).toMatchObject({ decision: 'once', by: 'acp (hermes-test)' });
    // …and the tool ran: in progress, then completed.
    const statuses = updatesAfter(h.seen, callAt).flatMap((u) => (u.sessionUpdate === 'tool_call_update' ? [u.status] : []));
    expect(statuses).toContain('in_progress');
    expect(statuses.at(-1)).toBe('completed');
  });

  it('a question the model asks (clarify) is dismissed by the bridge, and the prompt ends end_turn', async () => {
    const h = bridge();
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const questions = [{ question: 'Which database?', options: [{ label: 'SQLite' }, { label: 'Postgres' }] }];
    const res = await h.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: `/tool clarify ${JSON.stringify({ questions })}` }],
    });
    expect(res.stopReason).toBe('end_turn');
    const resolved = (await readLogFile(stack.home, sessionId)).filter((e) => e.type === 'clarify.resolved');
    expect(resolved.map((e) => [e.data.reason, e.data.by])).toEqual([['dismissed', 'acp']]);
  });

  it('an approval answered by another client cancels the editor pending request', async () => {
    const h = bridge();
    h.onPermission = (_params, signal) =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve({ outcome: { outcome: 'cancelled' } })));
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const prompt = h.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: '/tool terminal {"command":"rm -rf dist"}' }],
    });
    const ask = (await h.waitFor((s) => s.kind === 'permission', 'the permission request')) as Extract<Seen, { kind: 'permission' }>;
    const got = (await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${sessionId}`)).json() as {
      pendingApprovals: { approvalId: string }[];
    };
    const answer = await rawRequest(
      stack.daemon.state,
      'POST',
      `/v1/sessions/${sessionId}/approvals/${got.pendingApprovals[0]!.approvalId}`,
      {
        body: JSON.stringify({ decision: 'deny', by: 'tui (attach)' }),
      },
    );
    expect(answer.status).toBe(200);
    expect((await prompt).stopReason).toBe('end_turn');
    await h.waitFor(() => ask.cancelled, 'the editor request to be cancelled');
    expect(h.lines.some((l) => l.includes('"$/cancel_request"'))).toBe(true);
    // The bridge answered nothing itself: one resolution, the other client's.
    const resolutions = (await readLogFile(stack.home, sessionId)).filter((e) => e.type === 'approval.resolved');
    expect(resolutions.map((e) => e.data.by)).toEqual(['tui (attach)']);
  });

  it('session/cancel mid-stream answers cancelled within a second; the run is cancelled in the log', async () => {
    const h = bridge();
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const prompt = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: `/slow ${'word '.repeat(200)}` }] });
    await h.waitFor(isUpdate('agent_message_chunk'), 'the stream to start');
    const t0 = Date.now();
    await h.agent.notify('session/cancel', { sessionId });
    expect((await prompt).stopReason).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1000);
    const done = await waitForLog(stack.home, sessionId, (e) => e.type === 'run.completed');
    expect(done.data.stopReason).toBe('cancelled');
  });

  it('session/cancel while a permission request is open: the prompt answers cancelled and the request is withdrawn', async () => {
    const h = bridge();
    h.onPermission = (_params, signal) =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve({ outcome: { outcome: 'cancelled' } })));
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const prompt = h.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: '/tool terminal {"command":"rm -rf out"}' }],
    });
    const ask = (await h.waitFor((s) => s.kind === 'permission', 'the permission request')) as Extract<Seen, { kind: 'permission' }>;
    await h.agent.notify('session/cancel', { sessionId });
    expect((await prompt).stopReason).toBe('cancelled');
    await h.waitFor(() => ask.cancelled, 'the editor request to be withdrawn');
    const resolved = await waitForLog(stack.home, sessionId, (e) => e.type === 'approval.resolved');
    expect(resolved.data).toMatchObject({ decision: 'deny', by: 'cancel' });
    expect((await waitForLog(stack.home, sessionId, (e) => e.type === 'run.completed')).data.stopReason).toBe('cancelled');
  });

  it('session/load after a bridge restart replays once, then follows live with no gap or duplicate', async () => {
    const first = bridge();
    await first.agent.request('initialize', initParams);
    const { sessionId } = await first.agent.request('session/new', { cwd: ws, mcpServers: [] });
    await first.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'first message' }] });
    await first.close();

    // Another client starts a slow run; the editor reloads the session while it streams.
    const { lastSeq } = (await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${sessionId}`)).json() as { lastSeq: number };
    const sse = readSse(stack.daemon.state, sessionId, { after: lastSeq });
    try {
      await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${sessionId}/messages`, {
        body: JSON.stringify({ text: `/slow ${'tick '.repeat(160)}` }),
      });
      await sse.until((e) => e.type === 'message.delta');
      const second = bridge();
      await second.agent.request('initialize', initParams);
      await second.agent.request('session/load', { sessionId, cwd: ws, mcpServers: [] });
      const replayed = second.seen.length;
      const done = await sse.until((e) => e.type === 'run.completed', 20_000);
      expect(done.type).toBe('run.completed');
      const final = sse.events.filter((e) => e.type === 'message.completed').at(-1)!;
      const messageId = (final.data as { messageId: string }).messageId;
      await second.waitFor(
        () => agentText(second.seen, messageId) === (final.data as { text: string }).text,
        'the live text to complete the replayed one',
      );

      // The load came mid-run: part of the reply was replayed, the rest arrived live.
      expect(agentText(second.seen.slice(0, replayed), messageId)).not.toBe('');
      expect(agentText(second.seen.slice(replayed), messageId)).not.toBe('');
      const replay = updatesAfter(second.seen, 0).slice(0, replayed);
      const users = replay.flatMap((u) => (u.sessionUpdate === 'user_message_chunk' && u.content.type === 'text' ? [u.content.text] : []));
      expect(users).toEqual(['first message', `/slow ${'tick '.repeat(160)}`]);
      expect(agentText(second.seen.slice(0, replayed))).toContain('You said: first message');
      // Nothing of the first exchange after the load answered: live events only.
      expect(agentText(second.seen.slice(replayed))).not.toContain('You said');
      expect(updatesAfter(second.seen, replayed).some((u) => u.sessionUpdate === 'user_message_chunk')).toBe(false);
    } finally {
      sse.close();
    }
  });

  it('hermes attach on the editor’s session sees its transcript and answers its approval', async () => {
    const h = bridge();
    h.onPermission = (_params, signal) =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve({ outcome: { outcome: 'cancelled' } })));
    await h.agent.request('initialize', initParams);
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'shared history' }] });
    const got = (await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${sessionId}`)).json() as {
      transcript: { items: { kind: string; text: string }[] };
    };
    expect(got.transcript.items.map((i) => [i.kind, i.text])).toEqual([
      ['user', 'shared history'],
      ['assistant', 'You said: shared history'],
    ]);

    const prompt = h.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: '/tool terminal {"command":"rm -rf build"}' }],
    });
    const ask = (await h.waitFor((s) => s.kind === 'permission', 'the permission request')) as Extract<Seen, { kind: 'permission' }>;
    const tui = new Tui(stack.home, ['attach', sessionId]);
    try {
      await tui.waitFor(
        (t) => t.includes('shared history') && t.includes('You said: shared history') && t.includes('Approval needed'),
        'the editor’s session and its approval in the terminal',
        20_000,
      );
      tui.type('o');
      expect((await prompt).stopReason).toBe('end_turn');
      await h.waitFor(() => ask.cancelled, 'the editor’s request to be withdrawn');
      const resolutions = (await readLogFile(stack.home, sessionId)).filter((e) => e.type === 'approval.resolved');
      expect(resolutions.map((e) => [e.data.decision, e.data.by])).toEqual([['once', 'tui (attach)']]);
      // The editor saw the command run after the terminal allowed it.
      const last = updatesAfter(h.seen, 0)
        .filter((u) => u.sessionUpdate === 'tool_call_update')
        .at(-1);
      expect(last).toMatchObject({ status: 'completed' });
    } finally {
      tui.proc.kill();
    }
  });

  it('a bad session id is a JSON-RPC error, not a crash', async () => {
    const h = bridge();
    await h.agent.request('initialize', initParams);
    const err = await h.agent.request('session/load', { sessionId: '../../etc/passwd', cwd: ws, mcpServers: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    const again = await h.agent
      .request('session/prompt', { sessionId: 'nope', prompt: [{ type: 'text', text: 'x' }] })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RequestError);
    const rel = await h.agent.request('session/new', { cwd: 'relative/dir', mcpServers: [] }).catch((e: unknown) => e);
    expect((rel as RequestError).code).toBe(-32602);
    // Still serving.
    expect((await h.agent.request('session/list', {})).sessions.length).toBeGreaterThan(0);
  });
});

describe('hermes acp starting the daemon itself', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function freshHome(config: string): Promise<string> {
    const home = await tempHome('hermes-acp-home-');
    await writeFile(path.join(home, 'config.json'), config);
    return home;
  }
  async function stopDaemonOf(home: string): Promise<void> {
    const state = DaemonState.safeParse(JSON.parse(await readFile(path.join(home, 'daemon.json'), 'utf8').catch(() => 'null')));
    if (state.success) {
      try {
        process.kill(state.data.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(state.data.pid, 0);
        } catch {
          break;
        }
        await sleep(50);
      }
    }
    await removeHome(home);
  }

  it('auto-starts the daemon; stdout carries only protocol messages', async () => {
    const config = { model: 'scripted:default', providers: { scripted: { type: 'openai', baseUrl: stack.provider.openaiBaseUrl } } };
    const home = await freshHome(JSON.stringify(config));
    const h = startAcp({ home, env: { HERMES_ACP_TRACE: '1' } });
    try {
      await h.agent.request('initialize', initParams);
      const { sessionId } = await h.agent.request('session/new', { cwd: home, mcpServers: [] });
      expect((await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'auto' }] })).stopReason).toBe(
        'end_turn',
      );
      await h.close();
      expectCleanStdout(h);
      const log = await readFile(path.join(home, 'logs', `acp-${h.proc.pid}.log`), 'utf8');
      expect(log).toContain('"method":"session/prompt"');
    } finally {
      await h.close();
      await stopDaemonOf(home);
    }
  });

  it('a broken config fails the prompt with hermes’ error, and stdout stays clean', async () => {
    const home = await freshHome('{ "model": ');
    const h = startAcp({ home });
    try {
      await h.agent.request('initialize', initParams);
      const { sessionId } = await h.agent.request('session/new', { cwd: home, mcpServers: [] });
      const err = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hi' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestError);
      expect((err as RequestError).message).toMatch(/config\.json/);
      expect((err as RequestError).data).toMatchObject({ kind: expect.any(String), message: expect.stringMatching(/config\.json/) });
      await h.close();
      expectCleanStdout(h);
    } finally {
      await h.close();
      await stopDaemonOf(home);
    }
  });
});
