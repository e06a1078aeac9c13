import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { emptyTranscript, fold } from '@hermes/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { api, rawRequest, readLogFile, readSse, type SseReader } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

/** Steering a running run, and interrupting it (issue 16, Steering). Real daemon, real agent, scripted provider. */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Msg = { role: string; content?: unknown; tool_call_id?: string; tool_calls?: unknown[] };
const messagesOf = (s: Stack, i: number) => (s.provider.requests[i]!.body.messages ?? []) as Msg[];
/** The user texts and tool results of a request, in order, as short labels. */
const shape = (msgs: Msg[]) =>
  msgs
    .filter((m) => m.role !== 'system')
    .map((m) =>
      m.role === 'tool' ? 'tool' : m.role === 'assistant' ? (m.tool_calls ? 'assistant+calls' : 'assistant') : `user:${String(m.content)}`,
    );
const steer = (s: Stack, id: string, text: string, delivery = 'steer') => api.post(s.daemon.state, id, text, { delivery });
const runEnds = (sse: SseReader, n: number, timeoutMs = 20_000) =>
  sse.until(() => sse.events.filter((e) => e.type === 'run.completed').length >= n, timeoutMs);

async function session(s: Stack): Promise<{ id: string; ws: string; sse: SseReader }> {
  const ws = path.join(s.work, 'ws');
  await mkdir(ws, { recursive: true });
  const id = (await api.createSession(s.daemon.state, { workspace: ws })).id;
  return { id, ws, sse: readSse(s.daemon.state, id) };
}

describe('steer', () => {
  it('lands after the current tool results and before the next request, in the same run; several steers keep their order; replay folds the same', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'sleep 1.5; echo slept' } }] },
      { type: 'text', text: 'steered reply' },
    ]);
    await api.post(stack.daemon.state, id, 'start');
    await sse.until((e) => e.type === 'tool.started');
    const r1 = (await steer(stack, id, 'also check the README')).json();
    const r2 = (await steer(stack, id, 'and be brief')).json();
    expect(r1).toMatchObject({ queued: true, disposition: 'steering' });
    expect(r1.runId).toBeUndefined();
    expect(r2.disposition).toBe('steering');
    // Durable at once: the session lists them as queued steers while the tool runs.
    const mid = await api.get(stack.daemon.state, id);
    expect(mid.queued.map((q: { text: string; delivery?: string }) => [q.text, q.delivery])).toEqual([
      ['also check the README', 'steer'],
      ['and be brief', 'steer'],
    ]);
    const done = await runEnds(sse, 1);
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    // One run: the steers are message.user events inside it, after the tool result.
    expect(sse.events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    const types = sse.events.map((e) => (e.type === 'message.user' ? `user:${e.data.text}` : e.type));
    expect(types.indexOf('user:also check the README')).toBeGreaterThan(types.indexOf('tool.completed'));
    const steers = sse.events.filter((e) => e.type === 'message.user' && e.data.delivery === 'steer');
    expect(steers.map((e) => e.runId)).toEqual([done.runId, done.runId]);
    // The provider saw them as user messages right after the tool result, before its second reply.
    expect(stack.provider.requests).toHaveLength(2);
    expect(shape(messagesOf(stack, 0))).toEqual(['user:start']);
    expect(shape(messagesOf(stack, 1))).toEqual([
      'user:start',
      'assistant+calls',
      'tool',
      'user:also check the README',
      'user:and be brief',
    ]);
    // Taken into the run: a withdrawal now is refused.
    expect((await rawRequest(stack.daemon.state, 'DELETE', `/v1/sessions/${id}/messages/${r1.messageId}`)).status).toBe(409);
    // The same requestId again says where the message went.
    const got = await api.get(stack.daemon.state, id);
    expect(got.queued).toEqual([]);
    const users = got.transcript.items.filter((i: { kind: string }) => i.kind === 'user');
    expect(users.map((u: { text: string; delivery?: string }) => [u.text, u.delivery])).toEqual([
      ['start', undefined],
      ['also check the README', 'steer'],
      ['and be brief', 'steer'],
    ]);
    // A client attaching later folds the log into the same transcript.
    const replay = readSse(stack.daemon.state, id, { after: 0 });
    await replay.until((e) => e.seq === got.lastSeq);
    const folded = fold(emptyTranscript(id), replay.events);
    expect(folded.items).toEqual(got.transcript.items);
    expect(folded.queued).toEqual([]);
    replay.close();
    sse.close();
  }, 60_000);

  it('never overtakes a message queued before it: it queues behind it, and the order of runs is kept', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'sleep 1.5' } }] },
      { type: 'text', text: 'first done' },
      { type: 'text', text: 'A done' },
      { type: 'text', text: 'B done' },
    ]);
    await api.post(stack.daemon.state, id, 'first');
    await sse.until((e) => e.type === 'tool.started');
    expect((await api.post(stack.daemon.state, id, 'A')).json()).toMatchObject({ queued: true, disposition: 'queued' });
    const b = (await steer(stack, id, 'B')).json();
    expect(b).toMatchObject({ queued: true, disposition: 'queued' });
    await runEnds(sse, 3);
    // B never reached the first run; A ran before B.
    expect(shape(messagesOf(stack, 1))).toEqual(['user:first', 'assistant+calls', 'tool']);
    expect(shape(messagesOf(stack, 2)).at(-1)).toBe('user:A');
    expect(shape(messagesOf(stack, 3)).slice(-3)).toEqual(['user:A', 'assistant', 'user:B']);
    const log = await readLogFile(stack.home, id);
    expect(log.filter((e) => e.type === 'message.queued' && e.data.text === 'B')[0]!.data.delivery).toBeUndefined();
    sse.close();
  }, 60_000);

  it('a steer while an approval is pending denies it with the text as the reason; the run goes on with the steer', async () => {
    stack = await startStack();
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'rm -rf build' } }] },
      { type: 'text', text: 'ok, keeping build' },
    ]);
    await api.post(stack.daemon.state, id, 'clean up');
    const asked = await sse.until((e) => e.type === 'approval.requested');
    if (asked.type !== 'approval.requested') throw new Error('no approval');
    expect((await steer(stack, id, 'keep the build folder')).json().disposition).toBe('steering');
    const resolved = await sse.until((e) => e.type === 'approval.resolved');
    expect(resolved.type === 'approval.resolved' && resolved.data).toMatchObject({
      approvalId: asked.data.approvalId,
      decision: 'deny',
      by: 'steer',
      reason: 'keep the build folder',
    });
    const done = await runEnds(sse, 1);
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(sse.events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    const second = messagesOf(stack, 1);
    expect(shape(second)).toEqual(['user:clean up', 'assistant+calls', 'tool', 'user:keep the build folder']);
    expect(String(second.find((m) => m.role === 'tool')!.content)).toContain('was not run');
    // The answer from a client arriving late is refused: the steer already answered.
    const late = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/approvals/${asked.data.approvalId}`, {
      body: JSON.stringify({ decision: 'once' }),
    });
    expect(late.status).toBe(409);
    // The transcript keeps who answered.
    expect((await api.get(stack.daemon.state, id)).transcript.items.find((i: { kind: string }) => i.kind === 'approval').by).toBe('steer');
    sse.close();
  }, 60_000);

  it('a steer while the reply streams with no tool calls starts the next run once this one ends', async () => {
    stack = await startStack();
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'text', text: 'a b c d e f g h i j k l m n o p', tokensPerSecond: 8 },
      { type: 'text', text: 'second' },
    ]);
    await api.post(stack.daemon.state, id, 'talk');
    await sse.until((e) => e.type === 'message.delta');
    expect((await steer(stack, id, 'shorter please')).json().disposition).toBe('steering');
    await runEnds(sse, 2);
    const runs = sse.events.filter((e) => e.type === 'run.started');
    expect(runs).toHaveLength(2);
    const user = sse.events.find((e) => e.type === 'message.user' && e.data.text === 'shorter please')!;
    // It started the second run as its message (no steer mark: it was not taken mid-run).
    expect(user.type === 'message.user' && user.data.delivery).toBeUndefined();
    expect(runs[1]!.type === 'run.started' && runs[1]!.data.messageId).toBe(user.type === 'message.user' ? user.data.messageId : '');
    expect(shape(messagesOf(stack, 1))).toEqual(['user:talk', 'assistant', 'user:shorter please']);
    sse.close();
  }, 60_000);

  it('a steer withdrawn before its boundary never reaches the model; cancel leaves a waiting steer to run next', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'sleep 1.5' } }] },
      { type: 'text', text: 'done' },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'sleep 30' } }] },
      { type: 'text', text: 'after cancel' },
    ]);
    await api.post(stack.daemon.state, id, 'one');
    await sse.until((e) => e.type === 'tool.started');
    const w = (await steer(stack, id, 'never mind')).json();
    expect((await rawRequest(stack.daemon.state, 'DELETE', `/v1/sessions/${id}/messages/${w.messageId}`)).status).toBe(200);
    await runEnds(sse, 1);
    expect(JSON.stringify(stack.provider.requests.map((r) => r.body))).not.toContain('never mind');

    await api.post(stack.daemon.state, id, 'two');
    await sse.until((e) => e.type === 'tool.started' && sse.events.filter((x) => x.type === 'tool.started').length >= 2);
    await steer(stack, id, 'go on differently');
    expect((await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' })).status).toBe(200);
    const ends = await runEnds(sse, 3, 30_000).then(() => sse.events.filter((e) => e.type === 'run.completed'));
    expect(ends.map((e) => e.type === 'run.completed' && e.data.stopReason)).toEqual(['done', 'cancelled', 'done']);
    expect(shape(messagesOf(stack, 3)).at(-1)).toBe('user:go on differently');
    sse.close();
  }, 60_000);

  it('kill -9 with a steer durable but not yet taken: after the restart it runs once, not lost and not twice', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const { id, sse } = await session(stack);
    stack.provider.script([{ type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'sleep 60' } }] }]);
    await api.post(stack.daemon.state, id, 'long job');
    await sse.until((e) => e.type === 'tool.started');
    const s = (await steer(stack, id, 'stop and summarise')).json();
    sse.close();
    await stack.daemon.kill('SIGKILL');
    stack.provider.script([{ type: 'text', text: 'summary' }]);
    const d = await stack.restart();
    for (let i = 0; i < 400; i++) {
      const t = await api.get(d.state, id);
      if (
        t.session.status === 'idle' &&
        t.transcript.items.some((x: { kind: string; text?: string }) => x.kind === 'assistant' && x.text === 'summary')
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const log = await readLogFile(stack.home, id);
    const users = log.filter((e) => e.type === 'message.user' && e.data.messageId === s.messageId);
    expect(users).toHaveLength(1);
    const ends = log.filter((e) => e.type === 'run.completed').map((e) => e.data.stopReason);
    expect(ends).toEqual(['interrupted', 'done']);
    expect(shape(messagesOf(stack, 1)).at(-1)).toBe('user:stop and summarise');
    expect(stack.provider.requests).toHaveLength(2);
    // And once more: a second restart runs nothing again.
    await d.kill();
    const d2 = await stack.restart();
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.get(d2.state, id)).session.status).toBe('idle');
    expect(stack.provider.requests).toHaveLength(2);
  }, 60_000);
});

describe('interrupt', () => {
  it('cancels the run keeping its partial reply, then the message runs (202 says started, with its run)', async () => {
    stack = await startStack();
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'stall', afterText: 'partial words' },
      { type: 'text', text: 'fresh start' },
    ]);
    await api.post(stack.daemon.state, id, 'first');
    await sse.until((e) => e.type === 'message.delta');
    const r = await steer(stack, id, 'do this instead', 'interrupt');
    expect(r.status).toBe(202);
    const body = r.json();
    expect(body).toMatchObject({ queued: false, disposition: 'started' });
    await runEnds(sse, 2);
    const ends = sse.events.filter((e) => e.type === 'run.completed');
    expect(ends.map((e) => e.type === 'run.completed' && e.data.stopReason)).toEqual(['cancelled', 'done']);
    expect(ends[1]!.runId).toBe(body.runId);
    const partial = sse.events.find((e) => e.type === 'message.completed')!;
    expect(partial.type === 'message.completed' && partial.data).toMatchObject({ text: 'partial words', partial: true });
    // The next run's model sees the partial reply, then the new message.
    const second = messagesOf(stack, 1);
    expect(shape(second)).toEqual(['user:first', 'assistant', 'user:do this instead']);
    expect(second.find((m) => m.role === 'assistant')!.content).toBe('partial words');
    sse.close();
  }, 60_000);

  it('bad deliveries are a 400; on an idle session any delivery just starts a run', async () => {
    stack = await startStack();
    const { id, sse } = await session(stack);
    const bad = await api.post(stack.daemon.state, id, 'x', { delivery: 'now' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('delivery');
    const r = (await steer(stack, id, 'hello')).json();
    expect(r).toMatchObject({ queued: false, disposition: 'started' });
    await runEnds(sse, 1);
    sse.close();
  }, 30_000);
});

describe('hermes send --steer / --interrupt', () => {
  it('--steer prints the reply that follows the steer, exits 0; the earlier part of the run is not its output', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'tool_calls', text: 'looking first', calls: [{ name: 'terminal', args: { command: 'sleep 2' } }] },
      { type: 'text', text: 'brief answer' },
    ]);
    await api.post(stack.daemon.state, id, 'start');
    await sse.until((e) => e.type === 'tool.started');
    const r = await hermes(['send', '-s', id, '--steer', 'be brief'], { home: stack.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('brief answer\n');
    expect(r.stderr).toContain('your message steers it at its next step');
    expect(r.stderr).toContain('the run took your message');
    expect(sse.events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    sse.close();
  }, 60_000);

  it('--interrupt cancels the run in progress and prints the new reply; the other run is cancelled, not this one', async () => {
    stack = await startStack();
    const { id, sse } = await session(stack);
    stack.provider.script([
      { type: 'stall', afterText: 'half a thought' },
      { type: 'text', text: 'the new reply' },
    ]);
    await api.post(stack.daemon.state, id, 'first');
    await sse.until((e) => e.type === 'message.delta');
    const r = await hermes(['send', '-s', id, '--interrupt', 'do this instead'], { home: stack.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('the new reply\n');
    expect(r.stderr).toContain('interrupting the run in progress');
    sse.close();
  }, 60_000);

  it('--steer and --interrupt need an existing session, and not both (exit 2)', async () => {
    stack = await startStack();
    const alone = await hermes(['send', '--steer', 'x'], { home: stack.home });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('give --session <id> or --continue');
    const both = await hermes(['send', '-c', '--steer', '--interrupt', 'x'], { home: stack.home });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --steer or --interrupt');
  }, 30_000);
});
