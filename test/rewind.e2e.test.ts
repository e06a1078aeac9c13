import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyTranscript, fold, type HermesEvent } from '@hermes/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { api, rawRequest, readLogFile, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function runMessage(s: Stack, id: string, text: string, during?: (e: HermesEvent) => Promise<void> | void) {
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  await api.post(s.daemon.state, id, text);
  const done = await sse.until((e) => {
    if (during) void during(e);
    return e.type === 'run.completed';
  }, 30_000);
  sse.close();
  return { events: sse.events, done };
}

const post = (s: Stack, id: string, route: string, body: object) =>
  rawRequest(s.daemon.state, 'POST', `/v1/sessions/${id}/${route}`, { body: JSON.stringify(body) });

/** Every file under the workspace with its sha256: the exact state of the folder. */
async function hashes(ws: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(ws, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out[path.relative(ws, abs)] = createHash('sha256')
      .update(await readFile(abs))
      .digest('hex');
  }
  return out;
}

const users = async (s: Stack, id: string) =>
  ((await api.get(s.daemon.state, id)).transcript.items as { kind: string; messageId: string; text: string; retryOf?: string }[]).filter(
    (i) => i.kind === 'user',
  );

describe('unrewind, retry, fork (real daemon, real git)', () => {
  it('unrewind gives back the exact post-state and the items; a second unrewind is 409; a file the user made mid-run survives both', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    await writeFile(path.join(ws, 'b.txt'), 'one\ntwo\n');
    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'alpha\n' } }] },
      // The model "thinks" for a while: the user writes a file of their own meanwhile.
      { type: 'tool_calls', delayMs: 1500, calls: [{ name: 'patch', args: { path: 'b.txt', old_string: 'two', new_string: 'deux' } }] },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'printf "x\\0y" > c.bin' } }] },
      { type: 'text', text: 'done' },
    ]);
    let wrote: Promise<void> | undefined;
    const { events } = await runMessage(stack, id, 'edit three', (e) => {
      if (e.type === 'tool.completed' && !wrote) wrote = writeFile(path.join(ws, 'mine.txt'), 'written by the user mid-run\n');
    });
    await wrote;
    const cp = events.find((e) => e.type === 'checkpoint.created');
    expect(cp?.type === 'checkpoint.created' && cp.data.files.map((f) => f.path).sort()).toEqual(['a.txt', 'b.txt', 'c.bin']);
    const post1 = await hashes(ws);
    const itemsBefore = (await api.get(stack.daemon.state, id)).transcript.items;
    const [first] = await users(stack, id);

    const rw = await post(stack, id, 'rewind', { toMessageId: first!.messageId });
    expect(rw.status).toBe(200);
    expect(rw.json().restored).toEqual(['a.txt', 'b.txt', 'c.bin']);
    expect(await hashes(ws)).toEqual({ 'b.txt': createHash('sha256').update('one\ntwo\n').digest('hex'), 'mine.txt': post1['mine.txt'] });

    expect((await post(stack, id, 'unrewind', { rewindId: 'rwd_nope' })).status).toBe(404);
    expect((await post(stack, id, 'unrewind', {})).status).toBe(400);
    const un = await post(stack, id, 'unrewind', { rewindId: rw.json().rewindId });
    expect(un.status).toBe(200);
    expect(un.json()).toEqual({ rewindId: rw.json().rewindId, restored: ['a.txt', 'b.txt', 'c.bin'], skipped: [] });
    expect(await hashes(ws)).toEqual(post1);
    expect((await api.get(stack.daemon.state, id)).transcript.items).toEqual(itemsBefore);
    const again = await post(stack, id, 'unrewind', { rewindId: rw.json().rewindId });
    expect(again.status).toBe(409);
    expect(await hashes(ws)).toEqual(post1);

    // Undo, send something new: the rewind is final now.
    const rw2 = (await post(stack, id, 'rewind', { toMessageId: first!.messageId, mode: 'conversation' })).json();
    stack.provider.script([{ type: 'text', text: 'fresh' }]);
    await runMessage(stack, id, 'a new message');
    const late = await post(stack, id, 'unrewind', { rewindId: rw2.rewindId });
    expect(late.status).toBe(409);
    expect(late.json().error.message).toMatch(/message was sent since/);
    // The diff of the run is there (undone or not).
    const diff = await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${id}/checkpoints/${cp!.runId}/diff`);
    expect(diff.status).toBe(200);
    expect(diff.json().diff).toContain('-two\n+deux');
    expect(diff.json().diff).toContain('+++ b/a.txt');
    expect((await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${id}/checkpoints/run_nope/diff`)).status).toBe(404);
    expect((await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${id}/checkpoints/..%2F..%2Fetc/diff`)).status).toBe(400);
  }, 90_000);

  it('retry rewinds the last reply and runs the same message again (message.user {retryOf}); the provider sees it once', async () => {
    stack = await startStack();
    const id = (await api.createSession(stack.daemon.state, {})).id;
    expect((await post(stack, id, 'retry', {})).status).toBe(409);
    stack.provider.script([{ type: 'text', text: 'first answer' }]);
    await runMessage(stack, id, 'tell me a joke');
    stack.provider.script([{ type: 'text', text: 'second answer' }]);
    const sse = readSse(stack.daemon.state, id, { after: (await api.get(stack.daemon.state, id)).lastSeq });
    const r = await post(stack, id, 'retry', {});
    expect(r.status).toBe(202);
    await sse.until((e) => e.type === 'run.completed', 30_000);
    sse.close();
    const [original] = sse.events.filter((e) => e.type === 'session.rewound');
    expect(original).toBeDefined();
    const user = sse.events.find((e) => e.type === 'message.user');
    expect(user?.type === 'message.user' && user.data).toMatchObject({
      text: 'tell me a joke',
      retryOf: r.json().retryOf,
      messageId: r.json().messageId,
    });
    const t = (await api.get(stack.daemon.state, id)).transcript;
    expect(
      t.items.filter((i: { kind: string }) => i.kind !== 'notice').map((i: { kind: string; text?: string }) => `${i.kind}:${i.text}`),
    ).toEqual(['user:tell me a joke', 'assistant:second answer']);
    const sent = JSON.stringify((stack.provider.requests.at(-1)!.body as { messages: unknown[] }).messages);
    expect(sent.split('tell me a joke').length).toBe(2);
    expect(sent).not.toContain('first answer');
    expect((await post(stack, id, 'retry', { mode: 'code' })).status).toBe(400);
  }, 60_000);

  it('fork copies the events before a message into a log of its own; deleting the parent changes nothing', async () => {
    stack = await startStack();
    const parent = (await api.createSession(stack.daemon.state, { title: 'Parent' })).id;
    stack.provider.script([{ type: 'text', text: 'answer one' }]);
    await runMessage(stack, parent, 'question one');
    stack.provider.script([{ type: 'text', text: 'answer two' }]);
    await runMessage(stack, parent, 'question two');
    const [, second] = await users(stack, parent);
    expect((await post(stack, parent, 'fork', { atMessageId: 'msg_nope' })).status).toBe(404);
    const f = await post(stack, parent, 'fork', { atMessageId: second!.messageId });
    expect(f.status).toBe(201);
    const fork = f.json().session as { id: string; title: string; workspace: string };
    expect(f.json().text).toBe('question two');
    expect(fork.title).toBe('Parent (fork)');
    const parentLog = await readLogFile(stack.home, parent);
    const forkLog = await readLogFile(stack.home, fork.id);
    const cut = parentLog.find((e) => e.type === 'message.user' && e.data.messageId === second!.messageId)!.seq - 1;
    expect(forkLog[0]).toMatchObject({ seq: 1, type: 'session.created', data: { forkedFrom: { sessionId: parent, seq: cut } } });
    // The same transcript up to the cut.
    const foldOf = (log: typeof parentLog, until: number) =>
      fold(emptyTranscript('x'), log.filter((e) => e.seq <= until) as unknown as HermesEvent[]).items;
    expect(foldOf(forkLog, cut)).toEqual(foldOf(parentLog, cut));
    const whole = await post(stack, parent, 'fork', {});
    expect(whole.status).toBe(201);
    const wholeId = whole.json().session.id as string;
    expect(foldOf(await readLogFile(stack.home, wholeId), parentLog.length)).toEqual(foldOf(parentLog, parentLog.length));

    expect((await rawRequest(stack.daemon.state, 'DELETE', `/v1/sessions/${parent}`)).status).toBe(200);
    await stack.daemon.kill();
    await stack.restart();
    const after = await api.get(stack.daemon.state, fork.id);
    expect(after.transcript.forkedFrom).toEqual({ sessionId: parent, seq: cut });
    expect(after.transcript.items.map((i: { text?: string }) => i.text)).toEqual(['question one', 'answer one']);
    stack.provider.script([{ type: 'text', text: 'the fork goes on' }]);
    await runMessage(stack, fork.id, 'question two, differently');
    expect(JSON.stringify((stack.provider.requests.at(-1)!.body as { messages: unknown[] }).messages)).toContain('answer one');
  }, 90_000);

  it('409 for rewind, unrewind, retry, fork and prune while a run is active; two attached clients see the same items hidden', async () => {
    stack = await startStack();
    const id = (await api.createSession(stack.daemon.state, {})).id;
    stack.provider.script([{ type: 'text', text: 'one' }]);
    await runMessage(stack, id, 'first');
    const [first] = await users(stack, id);
    const a = readSse(stack.daemon.state, id);
    const b = readSse(stack.daemon.state, id);
    stack.provider.script([{ type: 'stall', ms: 60_000 }]);
    const hang = (await api.post(stack.daemon.state, id, 'hang')).json() as { messageId: string; runId: string };
    await a.until((e) => e.type === 'run.started' && e.runId === hang.runId);
    for (const [route, body] of [
      ['rewind', { toMessageId: first!.messageId }],
      ['unrewind', { rewindId: 'rwd_x' }],
      ['retry', {}],
      ['fork', {}],
    ] as const) {
      const r = await post(stack, id, route, body);
      expect(r.status, route).toBe(409);
    }
    expect((await rawRequest(stack.daemon.state, 'POST', '/v1/checkpoints/prune', { body: '{}' })).status).toBe(409);
    await post(stack, id, 'cancel', {});
    await a.until((e) => e.type === 'run.completed' && e.runId === hang.runId);
    const rw = await post(stack, id, 'rewind', { toMessageId: first!.messageId, mode: 'conversation' });
    expect(rw.status).toBe(200);
    await a.until((e) => e.type === 'session.rewound');
    await b.until((e) => e.type === 'session.rewound');
    a.close();
    b.close();
    const ta = fold(emptyTranscript(id), a.events);
    const tb = fold(emptyTranscript(id), b.events);
    const daemon = (await api.get(stack.daemon.state, id)).transcript;
    expect(ta.items).toEqual([]);
    expect(tb.items).toEqual(ta.items);
    expect(daemon.items).toEqual(ta.items);
    expect(ta.rewinds?.[0]?.hidden.map((i) => i.seq)).toEqual(tb.rewinds?.[0]?.hidden.map((i) => i.seq));
    expect(ta.rewinds?.[0]?.hidden.filter((i) => i.kind === 'user')).toHaveLength(2);
    const status = await rawRequest(stack.daemon.state, 'GET', '/v1/checkpoints');
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ enabled: true, limits: { maxPerSession: 100, maxAgeDays: 30, maxTotalMB: 1024 } });
    await expect(stat(path.join(stack.home, 'snapshots'))).rejects.toThrow();
  }, 90_000);
});
