import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Turn = Parameters<Stack['provider']['script']>[0];

/**
 * Runs per workspace in the disk-bound test (four workspaces side by side). The 200 runs
 * take about 4 minutes on a loaded 2-core machine, too long for every CI run: HERMES_FULL_SCALE=1
 * runs all 200; by default 4 × 10 (the budget is scaled down with it, so pruning does the same work).
 */
const RUNS_EACH = process.env.HERMES_FULL_SCALE ? 50 : 10;

/**
 * Posts `n` messages at once (each queued behind the last, one run each) and waits for all their
 * runs to end. `marker` keys the session's script (sessions running side by side each get theirs).
 */
async function runMany(s: Stack, id: string, n: number, turns: (i: number) => Turn[], timeoutMs: number, marker?: string) {
  s.provider.script(Array.from({ length: n }, (_, i) => turns(i)).flat() as unknown as Turn, marker ? { marker } : undefined);
  const sse = readSse(s.daemon.state, id, { after: (await api.get(s.daemon.state, id)).lastSeq });
  for (let i = 0; i < n; i++) {
    const text = marker ? `run ${i} [[script:${marker}]]` : `run ${i}`;
    expect((await api.post(s.daemon.state, id, text)).status).toBeLessThan(300);
  }
  let done = 0;
  await sse.until((e) => e.type === 'run.completed' && ++done === n, timeoutMs);
  sse.close();
  return sse.events;
}

/** Every file under `dir` with its sha256 (and each symlink's target): the exact state of the folder. */
async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(e.parentPath, e.name);
    if (e.isFile())
      out[path.relative(dir, abs)] = createHash('sha256')
        .update(await readFile(abs))
        .digest('hex');
    else if (e.isDirectory()) out[path.relative(dir, abs) + '/'] = 'dir';
  }
  return out;
}

async function folderBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) n += (await stat(path.join(e.parentPath, e.name))).size;
  return n;
}

const git = (ws: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', '--no-optional-locks', ...args], {
    cwd: ws,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
  }).toString();

describe('checkpoints at scale (real daemon, real git)', () => {
  it("50 runs with checkpoints leave the user's repository byte-identical: .git, index, refs, objects, untracked and ignored files", async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'repo');
    await mkdir(ws);
    git(ws, 'init', '-q');
    await writeFile(path.join(ws, 'tracked.txt'), 'tracked\n');
    await writeFile(path.join(ws, '.gitignore'), 'build/\n');
    git(ws, 'add', '.');
    git(ws, 'commit', '-qm', 'init');
    // A staged change, an untracked file and an ignored one: the index and the tree as a user leaves them mid-work.
    await writeFile(path.join(ws, 'tracked.txt'), 'tracked, staged edit\n');
    git(ws, 'add', 'tracked.txt');
    await writeFile(path.join(ws, 'notes.txt'), 'untracked notes\n');
    await mkdir(path.join(ws, 'build'));
    await writeFile(path.join(ws, 'build', 'out.o'), 'ignored\n');
    const before = { files: await hashes(ws), status: git(ws, 'status', '--porcelain', '--ignored'), refs: git(ws, 'for-each-ref') };
    const objects = git(ws, 'count-objects', '-v');

    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    const events = await runMany(
      stack,
      id,
      50,
      (i) => [
        {
          type: 'tool_calls',
          calls: [
            { name: 'write_file', args: { path: `src/f${i % 7}.txt`, content: `version ${i}\n` } },
            { name: 'terminal', args: { command: `echo ${i} >> log.txt` } },
          ],
        },
        { type: 'text', text: `done ${i}` },
      ],
      240_000,
    );
    expect(events.filter((e) => e.type === 'checkpoint.created')).toHaveLength(50);
    expect(events.some((e) => e.type === 'notice' && /checkpoints off/.test(JSON.stringify(e.data)))).toBe(false);
    // The agent's files are there meanwhile; the repository's own state is not touched.
    expect(await readFile(path.join(ws, 'log.txt'), 'utf8')).toBe(Array.from({ length: 50 }, (_, i) => `${i}\n`).join(''));
    expect(git(ws, 'for-each-ref')).toBe(before.refs);
    expect(git(ws, 'count-objects', '-v')).toBe(objects);

    // Rewinding to the first message takes the 50 runs' files back: the folder, .git included, is as it was, byte for byte.
    const first = (await api.get(stack.daemon.state, id)).transcript.items.find((i: { kind: string }) => i.kind === 'user');
    const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: first.messageId }),
    });
    expect(r.status).toBe(200);
    expect(r.json().skipped).toEqual([]);
    const after = await hashes(ws);
    // Folders the runs made (src/) are left, empty: a rewind removes files, never folders.
    expect(Object.fromEntries(Object.entries(after).filter(([k]) => k !== 'src/'))).toEqual(before.files);
    expect(git(ws, 'status', '--porcelain', '--ignored')).toBe(before.status);
    expect(git(ws, 'count-objects', '-v')).toBe(objects);
  }, 300_000);

  it('runs that each rewrite a 1 MiB file (200 with HERMES_FULL_SCALE) fit in checkpoints.maxTotalMB after a prune; the newest still rewinds', async () => {
    const maxTotalMB = RUNS_EACH === 50 ? 16 : 10;
    stack = await startStack({ config: { approvals: { mode: 'yolo' }, checkpoints: { maxTotalMB } } });
    // Four workspaces side by side, RUNS_EACH runs each.
    const sessions: { ws: string; id: string }[] = [];
    for (let k = 0; k < 4; k++) {
      const ws = path.join(stack.work, `big${k}`);
      await mkdir(ws);
      sessions.push({ ws, id: (await api.createSession(stack.daemon.state, { workspace: ws })).id });
    }
    // Random bytes: nothing compresses, every run adds a whole MiB to its store.
    await Promise.all(
      sessions.map((x, k) =>
        runMany(
          stack!,
          x.id,
          RUNS_EACH,
          (i) => [
            {
              type: 'tool_calls',
              calls: [{ name: 'terminal', args: { command: `head -c 1048576 /dev/urandom > big.bin && echo ${i} > n.txt` } }],
            },
            { type: 'text', text: 'ok' },
          ],
          540_000,
          `big${k}`,
        ),
      ),
    );
    const snapshots = path.join(stack.home, 'snapshots');
    const grown = await folderBytes(snapshots);
    const status = (await rawRequest(stack.daemon.state, 'GET', '/v1/checkpoints')).json();
    expect(status.limits.maxTotalMB).toBe(maxTotalMB);
    expect(status.stores).toHaveLength(4);
    const pruned = await rawRequest(stack.daemon.state, 'POST', '/v1/checkpoints/prune', { body: '{}' });
    expect(pruned.status).toBe(200);
    const p = pruned.json() as { removedRefs: number; bytesBefore: number; bytesAfter: number };
    const onDisk = await folderBytes(snapshots);
    expect(onDisk).toBeLessThanOrEqual(maxTotalMB * 1024 * 1024);
    expect(p.bytesAfter).toBeLessThanOrEqual(maxTotalMB * 1024 * 1024);
    expect(p.removedRefs).toBeGreaterThan(RUNS_EACH * 2);
    // Idle pruning may already have run during the runs; either way the stores had held far more than the budget.
    expect(Math.max(grown, p.bytesBefore)).toBeGreaterThan(maxTotalMB * 1024 * 1024);
    const { ws, id } = sessions[0]!;

    // The newest checkpoint survived the prune (its objects too): rewinding the last run's files gives back the one before's.
    const users = (await api.get(stack.daemon.state, id)).transcript.items.filter((i: { kind: string }) => i.kind === 'user');
    expect(users.length).toBe(RUNS_EACH);
    expect(await readFile(path.join(ws, 'n.txt'), 'utf8')).toBe(`${RUNS_EACH - 1}\n`);
    const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: users.at(-1).messageId, mode: 'code' }),
    });
    expect(r.json()).toMatchObject({ restored: ['big.bin', 'n.txt'], skipped: [] });
    expect(await readFile(path.join(ws, 'n.txt'), 'utf8')).toBe(`${RUNS_EACH - 2}\n`);
    expect((await stat(path.join(ws, 'big.bin'))).size).toBe(1048576);
    // An old run's checkpoint is gone (its trees too): rewinding to it changes nothing and says why, not a 500.
    // (Not the first run: its "before" is the empty folder, which needs nothing kept.)
    const kept = await readFile(path.join(ws, 'big.bin'));
    const old = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: users[1].messageId, mode: 'code' }),
    });
    expect(old.status).toBe(200);
    expect(old.json().restored).toEqual([]);
    expect(old.json().skipped).toEqual([
      { path: 'big.bin', reason: expect.stringContaining('its checkpoint was pruned') },
      { path: 'n.txt', reason: expect.stringContaining('its checkpoint was pruned') },
    ]);
    expect((await readFile(path.join(ws, 'big.bin'))).equals(kept)).toBe(true);
  }, 600_000);
});
