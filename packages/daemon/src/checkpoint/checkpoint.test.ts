import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventDraft } from '@hermes/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changedFiles, literalExcludeLine } from './parse.js';
import { RunCheckpoint } from './run-checkpoint.js';
import { blobId, ShadowStore, storeDir } from './store.js';

const LIMITS = { maxFileBytes: 1000, maxFiles: 100, timeoutMs: 30_000 };
let root: string;
let ws: string;
let home: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hermes-ckpt-'));
  ws = path.join(root, 'ws');
  home = path.join(root, 'home');
  await fs.mkdir(ws);
  await fs.mkdir(home);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const userGit = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', ...args], {
    cwd: ws,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
  }).toString();

/** Everything that would show a change to the user's own repository. */
function repoState(): string {
  const objects = execFileSync('find', ['.git/objects', '-type', 'f'], { cwd: ws }).toString().split('\n').sort().join('\n');
  return [
    userGit('status', '--porcelain', '--ignored'),
    userGit('for-each-ref'),
    objects,
    execFileSync('sha1sum', ['.git/index'], { cwd: ws }).toString(),
  ].join('\n--\n');
}

describe('ShadowStore', () => {
  it('snapshots the tree without ignored or oversized files, and diffs two snapshots', async () => {
    await fs.writeFile(path.join(ws, '.gitignore'), 'build/\n');
    await fs.mkdir(path.join(ws, 'build'));
    await fs.writeFile(path.join(ws, 'build', 'out.o'), 'x');
    await fs.writeFile(path.join(ws, 'a.txt'), 'one\ntwo\n');
    await fs.writeFile(path.join(ws, 'big.bin'), Buffer.alloc(2000, 1));
    await fs.writeFile(path.join(ws, '*.txt'), 'a file named like a pattern');
    const store = new ShadowStore(storeDir(home, ws), ws);
    const t1 = await store.snapshot(LIMITS);
    const files = [...(await store.entries(t1, ['a.txt', 'big.bin', 'build/out.o', '*.txt', '.gitignore'])).keys()].sort();
    expect(files).toEqual(['*.txt', '.gitignore', 'a.txt']);

    await fs.writeFile(path.join(ws, 'a.txt'), 'one\nthree\nfour\n');
    await fs.writeFile(path.join(ws, 'new.txt'), 'n\n');
    await fs.rm(path.join(ws, '*.txt'));
    const t2 = await store.snapshot(LIMITS);
    expect((await store.diff(t1, t2)).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: '*.txt', status: 'deleted', additions: 0, deletions: 1 },
      { path: 'a.txt', status: 'modified', additions: 2, deletions: 1 },
      { path: 'new.txt', status: 'added', additions: 1, deletions: 0 },
    ]);
    const a = (await store.entries(t1, ['a.txt'])).get('a.txt')!;
    expect((await store.blob(a.oid)).toString()).toBe('one\ntwo\n');
    expect(blobId(Buffer.from('one\ntwo\n'))).toBe(a.oid);
  });

  it('a file that grows past maxFileBytes leaves later snapshots', async () => {
    await fs.writeFile(path.join(ws, 'log'), 'small');
    const store = new ShadowStore(storeDir(home, ws), ws);
    const t1 = await store.snapshot(LIMITS);
    expect((await store.entries(t1, ['log'])).has('log')).toBe(true);
    await fs.writeFile(path.join(ws, 'log'), Buffer.alloc(5000, 2));
    const t2 = await store.snapshot(LIMITS);
    expect((await store.entries(t2, ['log'])).has('log')).toBe(false);
  });

  it('never changes the user repository (status, refs, objects, index), with hooks and fsmonitor set', async () => {
    userGit('init', '-q');
    await fs.writeFile(path.join(ws, 'tracked'), 'v1\n');
    await fs.writeFile(path.join(ws, 'secret.env'), 'K=1\n');
    await fs.writeFile(path.join(ws, '.git', 'info', 'exclude'), 'secret.env\n');
    userGit('add', 'tracked');
    userGit('commit', '-qm', 'init');
    // A hook that would leave a trace if any git command here ran it.
    await fs.writeFile(path.join(ws, '.git', 'hooks', 'post-index-change'), '#!/bin/sh\ntouch "$GIT_DIR/../HOOK_RAN"\n', { mode: 0o755 });
    userGit('config', 'core.fsmonitor', 'true');
    await fs.writeFile(path.join(ws, 'tracked'), 'v2\n');
    await fs.writeFile(path.join(ws, 'untracked'), 'u\n');
    const before = repoState();
    const store = new ShadowStore(storeDir(home, ws), ws);
    const t = await store.snapshot(LIMITS);
    await fs.writeFile(path.join(ws, 'untracked'), 'u2\n');
    const t2 = await store.snapshot(LIMITS);
    await store.pin('refs/hermes/s/r', t, t2);
    expect(repoState()).toBe(before);
    await expect(fs.stat(path.join(ws, 'HOOK_RAN'))).rejects.toThrow();
    const entries = await store.entries(t, ['tracked', 'untracked', 'secret.env', '.git/HEAD']);
    expect([...entries.keys()].sort()).toEqual(['tracked', 'untracked']);
  });

  it('refuses a workspace over maxFiles', async () => {
    for (let i = 0; i < 12; i++) await fs.writeFile(path.join(ws, `f${i}`), String(i));
    const store = new ShadowStore(storeDir(home, ws), ws);
    await expect(store.snapshot({ ...LIMITS, maxFiles: 10 })).rejects.toThrow(/more than 10 files/);
  });

  it('a lock left by a killed git does not block the next snapshot', async () => {
    await fs.writeFile(path.join(ws, 'a'), 'a');
    const store = new ShadowStore(storeDir(home, ws), ws);
    await store.snapshot(LIMITS);
    await fs.writeFile(path.join(storeDir(home, ws), 'index.lock'), '');
    await fs.writeFile(path.join(ws, 'a'), 'b');
    await expect(store.snapshot(LIMITS)).resolves.toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('RunCheckpoint', () => {
  const events: EventDraft[] = [];
  const deps = (workspace: string, config = {}) => ({
    home,
    workspace,
    sessionId: 'ses_1',
    runId: 'run_1',
    messageId: 'msg_1',
    config,
    emit: async (d: EventDraft) => {
      events.push(d);
    },
  });
  beforeEach(() => {
    events.length = 0;
  });

  it('records what changed while its changing tools ran, not what the user changed between them', async () => {
    await fs.writeFile(path.join(ws, 'b'), 'b\n');
    const cp = new RunCheckpoint(deps(ws));
    await cp.beforeTool('read_file');
    await fs.writeFile(path.join(ws, 'early'), "not seen as the run's: before any changing tool\n");
    await cp.beforeTool('write_file');
    await fs.writeFile(path.join(ws, 'a'), 'a\n');
    await cp.afterTool('write_file');
    // The user, while the model thinks: not the run's, so a rewind will never touch it.
    await fs.writeFile(path.join(ws, 'mine'), "the user's\n");
    await cp.beforeTool('terminal');
    await fs.writeFile(path.join(ws, 'b'), 'b2\n');
    await cp.afterTool('terminal');
    await fs.writeFile(path.join(ws, 'late'), 'after the last tool\n');
    await cp.finish();
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.type).toBe('checkpoint.created');
    if (e.type !== 'checkpoint.created') return;
    expect(e.data).toMatchObject({ runId: 'run_1', messageId: 'msg_1' });
    expect(e.data.files.map((f) => `${f.status} ${f.path}`).sort()).toEqual(['added a', 'modified b']);
  });

  it('a run that changes nothing, or runs no changing tool, emits nothing', async () => {
    const cp = new RunCheckpoint(deps(ws));
    await cp.beforeTool('terminal');
    await cp.afterTool('terminal');
    await cp.finish();
    const cp2 = new RunCheckpoint(deps(ws));
    await cp2.beforeTool('read_file');
    await cp2.finish();
    expect(events).toEqual([]);
    await expect(fs.stat(path.join(home, 'snapshots'))).resolves.toBeTruthy();
  });

  it('$HOME and / as workspace: a notice, no store, the tool still runs', async () => {
    for (const w of [os.homedir(), '/']) {
      const cp = new RunCheckpoint(deps(w));
      await cp.beforeTool('write_file');
      await cp.beforeTool('patch');
      await cp.finish();
    }
    expect(events.map((e) => e.type === 'notice' && e.data.message)).toEqual([
      'checkpoints off: the workspace is your home folder',
      'checkpoints off: the workspace is the filesystem root',
    ]);
    await expect(fs.readdir(path.join(home, 'snapshots'))).rejects.toThrow();
  });

  it('too many files: one notice for the run; enabled false: nothing at all', async () => {
    for (let i = 0; i < 5; i++) await fs.writeFile(path.join(ws, `f${i}`), String(i));
    const cp = new RunCheckpoint(deps(ws, { checkpoints: { maxFiles: 3 } }));
    await cp.beforeTool('write_file');
    await cp.finish();
    expect(events.map((e) => e.type === 'notice' && e.data.message)).toEqual([
      'checkpoints off: the workspace has more than 3 files (checkpoints.maxFiles)',
    ]);
    events.length = 0;
    const off = new RunCheckpoint(deps(ws, { checkpoints: { enabled: false } }));
    await off.beforeTool('write_file');
    await fs.writeFile(path.join(ws, 'f0'), 'changed');
    await off.finish();
    expect(events).toEqual([]);
  });
});

describe('parse', () => {
  it('escapes exclude patterns so only the one path matches', () => {
    expect(literalExcludeLine('a/*.c')).toBe('/a/\\*.c');
    expect(literalExcludeLine('#x')).toBe('/\\#x');
    expect(literalExcludeLine('!neg [1]')).toBe('/\\!neg \\[1\\]');
  });
  it('counts binary changes as 0/0', () => {
    expect(changedFiles(['-\t-\timg.png'], ['A', 'img.png'])).toEqual([{ path: 'img.png', status: 'added', additions: 0, deletions: 0 }]);
  });
});
