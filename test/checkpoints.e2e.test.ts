import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, readSse } from './support/daemon.js';
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
  execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', ...args], { cwd: ws, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).toString();
const repoState = (ws: string) =>
  // `--no-optional-locks`: this status must not refresh the index itself; `ls-files -s` is the index's content.
  [git(ws, '--no-optional-locks', 'status', '--porcelain', '--ignored'), git(ws, 'for-each-ref'), git(ws, 'count-objects', '-v'), git(ws, 'ls-files', '-s')].join('\n');

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
});
