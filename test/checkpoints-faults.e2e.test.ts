import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HermesEvent } from '@hermes/protocol';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
const extra: string[] = [];
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  for (const d of extra.splice(0)) await rm(d, { recursive: true, force: true });
});

async function runMessage(s: Stack, id: string, text: string) {
  const sse = readSse(s.daemon.state, id, { after: (await api.get(s.daemon.state, id)).lastSeq });
  await api.post(s.daemon.state, id, text);
  const done = await sse.until((e) => e.type === 'run.completed', 120_000);
  sse.close();
  return { events: sse.events, done };
}

const offNotice = (events: HermesEvent[]) =>
  events.flatMap((e) => (e.type === 'notice' && e.data.message.startsWith('checkpoints off: ') ? [e.data.message] : []));

async function manyFiles(dir: string, n: number, bytes = 0) {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < n; i += 500)
    await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, (_, j) =>
        writeFile(path.join(dir, `f${i + j}.txt`), bytes ? randomBytes(bytes).toString('hex') : `${i + j}\n`),
      ),
    );
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out[path.relative(dir, abs)] = createHash('sha256')
      .update(await readFile(abs))
      .digest('hex');
  }
  return out;
}

/** The pid of a running child of `parent` whose command line has all of `parts`, or null. */
async function findChild(parent: number, parts: string[]): Promise<number | null> {
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!parts.every((p) => cmd.split('\0').includes(p))) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Field 4 of /proc/PID/stat, after the ")" that ends the command name.
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) return Number(pid);
  }
  return null;
}

const locks = async (home: string) =>
  (await readdir(path.join(home, 'snapshots'), { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.lock'));

describe('checkpoints off, quickly, and the run goes on', () => {
  it('a workspace that is $HOME', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'hermes-fake-home-'));
    extra.push(home);
    stack = await startStack({ config: { approvals: { mode: 'yolo' } }, env: { HOME: home } });
    const id = (await api.createSession(stack.daemon.state, { workspace: home })).id;
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'written\n' } }] },
      { type: 'text', text: 'done' },
    ]);
    const { events, done } = await runMessage(stack, id, 'write in home');
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(offNotice(events)).toEqual(['checkpoints off: the workspace is your home folder']);
    expect(await readFile(path.join(home, 'a.txt'), 'utf8')).toBe('written\n');
    expect(events.some((e) => e.type === 'checkpoint.created')).toBe(false);
    await expect(stat(path.join(stack.home, 'snapshots'))).rejects.toThrow();
  }, 60_000);

  it('a tree of 25,000 files (over checkpoints.maxFiles): one notice for the run, no store contents', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'huge');
    await manyFiles(path.join(ws, 'data'), 25_000);
    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'one\n' } }] },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'echo two > b.txt' } }] },
      { type: 'text', text: 'done' },
    ]);
    const { events, done } = await runMessage(stack, id, 'edit in a big tree');
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(offNotice(events)).toEqual(['checkpoints off: the workspace has more than 20000 files (checkpoints.maxFiles)']);
    expect(await readFile(path.join(ws, 'b.txt'), 'utf8')).toBe('two\n');
    expect(events.some((e) => e.type === 'checkpoint.created')).toBe(false);
  }, 120_000);
});

describe('kill -9 of the daemon (real git)', () => {
  it('during a snapshot: after a restart no lock is left, the next run checkpoints and rewinds', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' }, checkpoints: { timeoutMs: 120_000 } } });
    const ws = path.join(stack.work, 'ws');
    // Enough to hash that the first snapshot takes a moment.
    await manyFiles(path.join(ws, 'data'), 3000, 2048);
    const before = await hashes(ws);
    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'first\n' } }] },
      { type: 'text', text: 'done' },
    ]);
    await api.post(stack.daemon.state, id, 'start');
    let git: number | null = null;
    const deadline = Date.now() + 90_000;
    while (git === null && Date.now() < deadline) git = await findChild(stack.daemon.proc.pid!, ['add', '-A', '--ignore-errors']);
    expect(git, 'a snapshot was caught running').not.toBeNull();
    // The whole thing dies at once: the daemon and the git it was running.
    process.kill(git!, 'SIGKILL');
    await stack.daemon.kill('SIGKILL');

    await stack.restart();
    // The killed run's unused turns go.
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'b.txt', content: 'second\n' } }] },
      {
        type: 'tool_calls',
        calls: [
          {
            name: 'patch',
            args: {
              path: 'data/f1.txt',
              old_string: (await readFile(path.join(ws, 'data/f1.txt'), 'utf8')).slice(0, 16),
              new_string: 'PATCHED',
            },
          },
        ],
      },
      { type: 'text', text: 'done' },
    ]);
    const { events } = await runMessage(stack, id, 'again');
    expect(offNotice(events)).toEqual([]);
    const cp = events.find((e) => e.type === 'checkpoint.created');
    expect(cp?.type === 'checkpoint.created' && cp.data.files.map((f) => f.path).sort()).toEqual(['b.txt', 'data/f1.txt']);
    const users = (await api.get(stack.daemon.state, id)).transcript.items.filter((i: { kind: string }) => i.kind === 'user');
    const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: users.at(-1).messageId }),
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ restored: ['b.txt', 'data/f1.txt'], skipped: [] });
    // What is left is the user's tree plus the killed run's own write (a.txt, if it got that far).
    const now = await hashes(ws);
    delete now['a.txt'];
    expect(now).toEqual(before);
    expect(await locks(stack.home)).toEqual([]);
  }, 240_000);

  it('during a restore: after a restart the rewind can be done (again) and leaves the exact earlier state', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'ws');
    await manyFiles(path.join(ws, 'data'), 400);
    await writeFile(path.join(ws, 'mine.txt'), 'the user\n');
    const before = await hashes(ws);
    const id = (await api.createSession(stack.daemon.state, { workspace: ws })).id;
    stack.provider.script([
      {
        type: 'tool_calls',
        calls: [{ name: 'terminal', args: { command: 'for f in data/*.txt; do echo changed >> "$f"; done; echo new > new.txt' } }],
      },
      { type: 'text', text: 'done' },
    ]);
    await runMessage(stack, id, 'change 400 files');
    const [first] = (await api.get(stack.daemon.state, id)).transcript.items.filter((i: { kind: string }) => i.kind === 'user');
    const restoredCount = async () => {
      let n = 0;
      for (let i = 0; i < 400; i += 40) if (!(await readFile(path.join(ws, `data/f${i}.txt`), 'utf8')).includes('changed')) n++;
      return n;
    };
    void rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
      body: JSON.stringify({ toMessageId: first.messageId }),
    }).catch(() => {});
    // Kill once the restore has begun (some files back), before it ends if we can.
    for (let i = 0; i < 4000 && (await restoredCount()) === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await stack.daemon.kill('SIGKILL');

    await stack.restart();
    const t = (await api.get(stack.daemon.state, id)).transcript;
    if (t.items.some((i: { kind: string; messageId?: string }) => i.kind === 'user' && i.messageId === first.messageId)) {
      // The rewind was not recorded: doing it again finishes the job (paths already back are left alone).
      const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/rewind`, {
        body: JSON.stringify({ toMessageId: first.messageId }),
      });
      expect(r.status).toBe(200);
      expect(r.json().skipped).toEqual([]);
    }
    expect(await hashes(ws)).toEqual(before);
    expect(await locks(stack.home)).toEqual([]);
    // And the store goes on working.
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'later.txt', content: 'later\n' } }] },
      { type: 'text', text: 'done' },
    ]);
    const { events } = await runMessage(stack, id, 'later');
    expect(events.some((e) => e.type === 'checkpoint.created')).toBe(true);
  }, 240_000);
});
