import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { api } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

// `hermes sessions rewind|unrewind|fork`, `hermes checkpoints status|prune`, and `send`'s
// files-changed line, against a real daemon, the scripted provider and real git.
describe('the checkpoint commands (real daemon, real git)', () => {
  let stack: Stack;
  let ws: string;
  let id: string;
  const run = (...args: string[]) => hermes(args, { home: stack.home, cwd: ws });
  beforeAll(async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    await writeFile(path.join(ws, 'b.txt'), 'one\ntwo\n');
  }, 30_000);
  afterAll(async () => {
    await stack.close();
  });

  it('send shows the files-changed line (--json: the checkpoint.created event); rewind --to N, unrewind, errors', async () => {
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'alpha\nbeta\n' } }] },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'echo x > c.txt' } }] },
      { type: 'text', text: 'done' },
    ]);
    const sent = await run('send', '-w', ws, '--title', 'edits', 'make two files');
    expect(sent.code).toBe(0);
    expect(sent.stderr).toContain('± 2 files changed (+3 −0)');
    id = /session (\S+)/.exec(sent.stderr)![1]!;
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'patch', args: { path: 'b.txt', old_string: 'two', new_string: 'deux' } }] },
      { type: 'text', text: 'patched' },
    ]);
    const json = await run('send', '-s', id, '--json', 'patch b');
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: { files?: unknown } });
    expect(events.find((e) => e.type === 'checkpoint.created')?.data.files).toEqual([
      { path: 'b.txt', status: 'modified', additions: 1, deletions: 1 },
    ]);

    const show = await run('sessions', 'show', id);
    expect(show.stdout).toContain('▌ you #1\n  make two files');
    expect(show.stdout).toContain('± 2 files changed (+3 −0): a.txt, c.txt');
    expect(show.stdout).toContain('▌ you #2\n  patch b');

    // Bad input: exit 2 with the reason; the files are untouched.
    const badMode = await run('sessions', 'rewind', id, '--mode', 'sideways');
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toContain('--mode must be both, conversation or code');
    const badTo = await run('sessions', 'rewind', id, '--to', '7');
    expect(badTo.code).toBe(2);
    expect(badTo.stderr).toContain('give 1 to 2');
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('one\ndeux\n');

    const rw = await run('sessions', 'rewind', id, '--to', '1');
    expect(rw.code).toBe(0);
    expect(rw.stdout).toContain('rewound to before “make two files”');
    expect(rw.stdout).toContain('restored 3 files: a.txt, b.txt, c.txt');
    expect(rw.stdout).toContain(`hermes sessions unrewind ${id}`);
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('one\ntwo\n');
    await expect(stat(path.join(ws, 'a.txt'))).rejects.toThrow();
    const shown = await run('sessions', 'show', id);
    expect(shown.stdout).toMatch(/┄┄ rewound \(\S+\): hidden from the model ┄┄[\s\S]*make two files[\s\S]*patch b/);

    const un = await run('sessions', 'unrewind', id, '--json');
    expect(un.code).toBe(0);
    expect(JSON.parse(un.stdout)).toMatchObject({ restored: ['a.txt', 'b.txt', 'c.txt'], skipped: [] });
    expect(await readFile(path.join(ws, 'a.txt'), 'utf8')).toBe('alpha\nbeta\n');
    const again = await run('sessions', 'unrewind', id);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('nothing to unrewind');

    // Only the conversation: the files stay; --json is the daemon's answer.
    const conv = await run('sessions', 'rewind', id, '--mode', 'conversation', '--json');
    expect(JSON.parse(conv.stdout)).toMatchObject({ mode: 'conversation', restored: [], text: 'patch b' });
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('one\ndeux\n');
  }, 120_000);

  it('fork --at N: a new session with the messages before it, same workspace; a bad session is exit 2', async () => {
    const f = await run('sessions', 'fork', id, '--at', '1', '--json');
    expect(f.code).toBe(0);
    const fork = JSON.parse(f.stdout) as { session: { id: string; title: string; workspace: string }; text: string };
    expect(fork.text).toBe('make two files');
    expect(fork.session.title).toBe('edits (fork)');
    expect((await api.get(stack.daemon.state, fork.session.id)).transcript.items).toEqual([]);
    const human = await run('sessions', 'fork', id, '--title', 'whole');
    expect(human.stdout).toMatch(
      /^\S+ {2}whole\n {2}forked from session \S+ · same workspace .*ws: file edits there affect both sessions\n {2}continue it: hermes chat --session \S+\n$/,
    );
    expect((await run('sessions', 'fork', 'zzz-nope')).code).toBe(2);
  }, 60_000);

  it('checkpoints status lists the store of the workspace and the limits; prune shrinks nothing it needs', async () => {
    const s = await run('checkpoints', 'status');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^WORKSPACE\s+SIZE\s+CHECKPOINTS\s+SESSIONS$/m);
    expect(s.stdout).toContain(ws);
    expect(s.stdout).toMatch(/total \S+ \S+ of 1024 MB · keeps the newest 100 per session, for 30 days · not pruned yet/);
    const j = JSON.parse((await run('checkpoints', 'status', '--json')).stdout) as { stores: { workspace: string; refs: number }[] };
    expect(j.stores.find((x) => x.workspace.endsWith('ws'))?.refs).toBeGreaterThan(0);
    const p = await run('checkpoints', 'prune');
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^removed \d+ checkpoints? · \S+ \S+ → \S+ \S+\n$/);
    expect((await run('checkpoints', 'status')).stdout).toMatch(/last pruned/);
    // The checkpoints the session still shows survive a prune: a rewind still restores.
    const rw = await run('sessions', 'rewind', id, '--mode', 'code', '--to', '1');
    expect(rw.code).toBe(0);
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('one\ntwo\n');
  }, 60_000);
});
