import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function runMessage(s: Stack, id: string, text: string) {
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  await api.post(s.daemon.state, id, text);
  const done = await sse.until((e) => e.type === 'run.completed', 30_000);
  sse.close();
  return { events: sse.events, done };
}

const git = (ws: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', ...args], {
    cwd: ws,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
  }).toString();
const repoState = (ws: string) =>
  // `--no-optional-locks`: this status must not refresh the index itself; `ls-files -s` is the index's content.
  [
    git(ws, '--no-optional-locks', 'status', '--porcelain', '--ignored'),
    git(ws, 'for-each-ref'),
    git(ws, 'count-objects', '-v'),
    git(ws, 'ls-files', '-s'),
  ].join('\n');

describe('checkpoints (real daemon, real git)', () => {
  it('a run that writes, patches and runs a shell edit records all three; the user repository is untouched', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    git(ws, 'init', '-q');
    await writeFile(path.join(ws, 'b.txt'), 'one\ntwo\n');
    await writeFile(path.join(ws, '.gitignore'), 'ignored/\n');
    git(ws, 'add', '.');
    git(ws, 'commit', '-qm', 'init');
    const before = repoState(ws);
    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'alpha\n' } }] },
      { type: 'tool_calls', calls: [{ name: 'patch', args: { path: 'b.txt', old_string: 'two', new_string: 'deux' } }] },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'echo x > c.txt; mkdir -p ignored; echo y > ignored/z' } }] },
      { type: 'text', text: 'done' },
    ]);
    const { events, done } = await runMessage(stack, id, 'edit');
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(await readFile(path.join(ws, 'c.txt'), 'utf8')).toBe('x\n');
    const cp = events.filter((e) => e.type === 'checkpoint.created');
    expect(cp).toHaveLength(1);
    const data = cp[0]!.type === 'checkpoint.created' ? cp[0]!.data : null;
    expect(data?.runId).toBe(done.runId);
    expect(data?.files.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'a.txt', status: 'added', additions: 1, deletions: 0 },
      { path: 'b.txt', status: 'modified', additions: 1, deletions: 1 },
      { path: 'c.txt', status: 'added', additions: 1, deletions: 0 },
    ]);
    // The checkpoint came before the run's end, and the transcript keeps it.
    expect(events.findIndex((e) => e.type === 'checkpoint.created')).toBeLessThan(events.findIndex((e) => e.type === 'run.completed'));
    const t = await api.get(stack.daemon.state, id);
    expect((t.transcript.checkpoints as { runId: string }[] | undefined)?.map((c) => c.runId)).toEqual([done.runId]);
    // A second run without file tools adds no checkpoint.
    stack.provider.script([{ type: 'text', text: 'nothing to do' }]);
    const second = await runMessage(stack, id, 'talk');
    expect(second.events.some((e) => e.type === 'checkpoint.created')).toBe(false);
    // The user's repository saw the files appear, nothing else: reset them and compare.
    await writeFile(path.join(ws, 'b.txt'), 'one\ntwo\n');
    execFileSync('rm', ['-rf', 'a.txt', 'c.txt', 'ignored'], { cwd: ws });
    expect(repoState(ws)).toBe(before);
  }, 60_000);

  it("rewind restores write_file, patch and shell edits byte for byte, keeps the user's files, skips others' edits unless forced", async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    const original = Buffer.from('one\r\ntwo\n\u00e9\t \n');
    await writeFile(path.join(ws, 'b.txt'), original);
    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    const rewind = (body: object) => rawRequest(stack!.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, { body: JSON.stringify(body) });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'alpha\n' } }] },
      { type: 'tool_calls', calls: [{ name: 'patch', args: { path: 'b.txt', old_string: 'two', new_string: 'deux' } }] },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'echo x > c.txt' } }] },
      { type: 'text', text: 'done' },
    ]);
    await runMessage(stack, id, 'edit three files');
    expect((await readFile(path.join(ws, 'b.txt'))).equals(original)).toBe(false);
    await writeFile(path.join(ws, 'mine.txt'), 'the user wrote this');
    const first = (await api.get(stack.daemon.state, id)).transcript.items.find((i: { kind: string }) => i.kind === 'user') as {
      messageId: string;
    };

    expect((await rewind({ toMessageId: 'msg_nope' })).status).toBe(404);
    expect((await rewind({ toMessageId: first.messageId, mode: 'sideways' })).status).toBe(400);
    const r = await rewind({ toMessageId: first.messageId, mode: 'both' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ mode: 'both', restored: ['a.txt', 'b.txt', 'c.txt'], skipped: [], text: 'edit three files' });
    expect((await readFile(path.join(ws, 'b.txt'))).equals(original)).toBe(true);
    await expect(stat(path.join(ws, 'a.txt'))).rejects.toThrow();
    await expect(stat(path.join(ws, 'c.txt'))).rejects.toThrow();
    expect(await readFile(path.join(ws, 'mine.txt'), 'utf8')).toBe('the user wrote this');
    const after = (await api.get(stack.daemon.state, id)).transcript;
    expect(after.items).toEqual([]);
    expect(after.checkpoints).toEqual([]);
    // The provider no longer sees the rewound turn.
    stack.provider.script([{ type: 'text', text: 'fresh' }]);
    await runMessage(stack, id, 'start over');
    const sent = JSON.stringify((stack.provider.requests.at(-1)!.body as { messages: unknown[] }).messages);
    expect(sent).toContain('start over');
    expect(sent).not.toContain('edit three files');

    // Someone else edits a file after the agent's run: skipped and reported; force restores it.
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'b.txt', content: 'agent\n' } }] },
      { type: 'text', text: 'ok' },
    ]);
    await runMessage(stack, id, 'rewrite b');
    await writeFile(path.join(ws, 'b.txt'), 'human\n');
    const items = (await api.get(stack.daemon.state, id)).transcript.items.filter((i: { kind: string }) => i.kind === 'user') as {
      messageId: string;
    }[];
    const skip = await rewind({ toMessageId: items.at(-1)!.messageId, mode: 'code' });
    expect(skip.json()).toMatchObject({ restored: [], skipped: [{ path: 'b.txt' }] });
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('human\n');
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'b.txt', content: 'agent again\n' } }] },
      { type: 'text', text: 'ok' },
    ]);
    await runMessage(stack, id, 'rewrite b again');
    await writeFile(path.join(ws, 'b.txt'), 'human again\n');
    const last = (
      (await api.get(stack.daemon.state, id)).transcript.items.filter((i: { kind: string }) => i.kind === 'user') as { messageId: string }[]
    ).at(-1)!;
    const forced = await rewind({ toMessageId: last.messageId, mode: 'code', force: true });
    expect(forced.json()).toMatchObject({ restored: ['b.txt'], skipped: [] });
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('human\n');
    const list = await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${id}/checkpoints`);
    expect(list.status).toBe(200);
  }, 120_000);

  it('rewind: 409 while a run is active', async () => {
    stack = await startStack();
    const id = (await api.createSession(stack.daemon.state, {})).id;
    stack.provider.script([{ type: 'stall', ms: 60_000 }]);
    const sse = readSse(stack.daemon.state, id);
    const posted = (await api.post(stack.daemon.state, id, 'hang')).json() as { messageId: string };
    await sse.until((e) => e.type === 'run.started');
    const busy = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: posted.messageId }),
    });
    expect(busy.status).toBe(409);
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' });
    await sse.until((e) => e.type === 'run.completed');
    sse.close();
    const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: posted.messageId, mode: 'conversation' }),
    });
    expect(r.json()).toMatchObject({ restored: [], skipped: [], text: 'hang' });
  }, 60_000);
});
