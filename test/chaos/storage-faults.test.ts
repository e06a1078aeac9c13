// Storage faults against a real daemon process: a real ENOSPC (HERMES_HOME on a small tmpfs)
// and EIO injected at random moments through the log's file layer. The daemon runs with
// --unhandled-rejections=strict: one escaped rejection would kill it.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, rawRequest, readLogFile, removeHome, startTestDaemon, tempHome, type TestDaemon } from '../support/daemon.js';
import { runCli } from '../support/cli.js';
import { gapFree, healthy, scaled, seededRandom, sleep, waitFor } from './support/chaos.js';

const STRICT = { NODE_OPTIONS: '--unhandled-rejections=strict' };
const isRoot = process.getuid?.() === 0;

interface Got {
  session: { status: string; lastSeq: number };
  transcript: { items: { kind: string; stopReason?: string; error?: { kind: string; message: string } }[]; activeRunId: string | null };
}
const get = async (d: TestDaemon, id: string) => (await api.get(d.state, id)) as Got;
const runEnds = (g: Got) => g.transcript.items.filter((i) => i.kind === 'run_end');

async function idle(d: TestDaemon, id: string, timeoutMs = 60_000): Promise<Got> {
  let last: Got | null = null;
  try {
    await waitFor(
      async () => {
        last = await get(d, id);
        return last.transcript.activeRunId === null;
      },
      timeoutMs,
      `session ${id} to finish its run`,
    );
  } catch (err) {
    const tail = (await readLogFile(d.home, id))
      .slice(-8)
      .map((l) => `${l.seq} ${l.type}`)
      .join(', ');
    throw new Error(
      `${(err as Error).message}; log tail: ${tail}; daemon: ${d
        .logs()
        .split('\n')
        .filter((l) => l.includes(id))
        .slice(-6)
        .join(' | ')}`,
    );
  }
  return last!;
}

async function assertLogGapFree(home: string, id: string, lastSeq: number): Promise<void> {
  const lines = await readLogFile(home, id);
  expect(gapFree(lines.map((l) => l.seq))).toBe(true);
  expect(lines.length).toBe(lastSeq);
}

describe('storage faults: a failing disk crashes nothing', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it.skipIf(!isRoot)(
    'a real ENOSPC (HERMES_HOME on a 4 MiB tmpfs): the run ends as a storage error, the daemon stays up, 507, then recovery',
    async () => {
      const mnt = await mkdtemp(path.join(os.tmpdir(), 'hermes-enospc-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mnt]);
      cleanups.push(async () => {
        execFileSync('umount', ['-l', mnt]);
        await rm(mnt, { recursive: true, force: true });
      });
      const home = path.join(mnt, 'home');
      await mkdir(home, { mode: 0o700 });
      const d = await startTestDaemon({ home, env: STRICT });
      cleanups.push(() => d.kill());
      // Other files on the same disk, deleted later to give the space back.
      const ballast = path.join(mnt, 'ballast');
      await writeFile(ballast, Buffer.alloc(1536 * 1024));

      const a = (await api.createSession(d.state, { title: 'fills the disk' })).id;
      const b = (await api.createSession(d.state, { title: 'bystander' })).id;
      expect((await api.post(d.state, b, 'say before')).status).toBe(202);
      await idle(d, b);

      // ~100 bytes a delta: 300,000 of them are far more than 3 MiB.
      expect((await api.post(d.state, a, 'stream 300000')).status).toBe(202);
      const ga = await idle(d, a, 120_000);
      const end = runEnds(ga).at(-1);
      expect(end?.stopReason).toBe('error');
      expect(end?.error?.kind).toBe('storage');
      expect(end?.error?.message).toMatch(/full/);
      expect(d.proc.exitCode).toBeNull();
      const hello = (await rawRequest(d.state, 'GET', '/v1/hello')).json() as { storage?: { ok: boolean; code?: string } };
      expect(hello.storage).toMatchObject({ ok: false, code: 'ENOSPC' });
      console.log(
        `storage/enospc: the run ended with ${end?.error?.kind} after ${ga.session.lastSeq} events; /v1/hello storage ${JSON.stringify(hello.storage)}`,
      );

      // Other sessions still answer; a POST that cannot be made durable is a 507, never a 202.
      const filler = path.join(mnt, 'filler');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // dd stops with ENOSPC: the disk is full now
      }
      const gb = await get(d, b);
      expect(gb.session.status).toBe('idle');
      // Bigger than the free part of the log's last page (tmpfs allocates whole pages).
      const refused = await api.post(d.state, b, `say ${'full disk '.repeat(8000)}`);
      expect(refused.status).toBe(507);
      expect(refused.json().error.code).toBe('storage');
      const created = await rawRequest(d.state, 'POST', '/v1/sessions', { body: '{}' });
      expect(created.status).toBe(507);
      expect((await rawRequest(d.state, 'GET', '/v1/sessions')).status).toBe(200);
      const status = await runCli(['daemon', 'status'], { home }).done;
      expect(status.stdout).toMatch(/storage\s+FAILING \(ENOSPC/);
      console.log(
        `storage/enospc: full disk: POST message ${refused.status}, POST session ${created.status}: ${refused.json().error.message}`,
      );

      // Space is back: the same session takes a new message and its log loads gap-free.
      await rm(filler);
      await rm(ballast);
      const again = await api.post(d.state, a, 'say recovered');
      expect(again.status).toBe(202);
      const after = await idle(d, a);
      expect(runEnds(after).length).toBe(runEnds(ga).length);
      await assertLogGapFree(home, a, after.session.lastSeq);
      expect((await api.post(d.state, b, 'say after')).status).toBe(202);
      await idle(d, b);
      await assertLogGapFree(home, b, (await get(d, b)).session.lastSeq);
      // Healthy again once the disk reserve is rebuilt (retried after each good write).
      await waitFor(
        async () => {
          await api.post(d.state, b, 'say ping');
          return ((await rawRequest(d.state, 'GET', '/v1/hello')).json() as { storage?: { ok: boolean } }).storage?.ok === true;
        },
        20_000,
        '/v1/hello to report healthy storage',
      );
      await idle(d, b);

      // And after a restart every log loads.
      await d.kill();
      const d2 = await startTestDaemon({ home, env: STRICT });
      cleanups.push(() => d2.kill());
      for (const id of [a, b]) {
        const g = await get(d2, id);
        expect(g.transcript.activeRunId).toBeNull();
        await assertLogGapFree(home, id, g.session.lastSeq);
      }
      expect(d.logs()).not.toMatch(/Unhandled|unhandled/);
      console.log('storage/enospc: after freeing space the session took a new message; every log gap-free; no unhandled rejection');
    },
    180_000,
  );

  it.runIf(!isRoot)('a real ENOSPC needs root (mount -t tmpfs)', () => {
    console.log('storage/enospc: SKIPPED, not root: mounting a small tmpfs for HERMES_HOME needs root (CI runs as root)');
  });

  it('EIO injected at random moments on log writes: no crash, no unhandled rejection, every log gap-free', async () => {
    const rnd = seededRandom('storage/eio');
    const home = await tempHome();
    if (!process.env.HERMES_KEEP_HOME) cleanups.push(() => removeHome(home));
    const gate = path.join(home, 'faults-on');
    const d = await startTestDaemon({
      home,
      env: { ...STRICT, HERMES_TEST_STORAGE_FAULTS: `EIO:0.08:${rnd.seed}`, HERMES_TEST_STORAGE_FAULTS_SWITCH: gate },
    });
    cleanups.push(() => d.kill());
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await api.createSession(d.state, { title: `eio ${i}` })).id);

    await writeFile(gate, '');
    const statuses = new Map<number, number>();
    const rounds = scaled(40);
    for (let r = 0; r < rounds; r++) {
      const id = rnd.pick(ids);
      const text = rnd.pick(['say hello', 'stream 200', 'stream 40 2', 'approve']);
      const res = await api.post(d.state, id, text);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect([202, 507]).toContain(res.status);
      if (res.status === 507) expect(res.json().error.code).toBe('storage');
      if (text === 'approve' && res.status === 202) {
        await sleep(20);
        await rawRequest(d.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' });
      }
      if (rnd.next() < 0.3) await sleep(rnd.int(1, 30));
    }
    expect(await healthy(d.state)).toBe(true);
    // Faults off: every session settles, takes a message and ends gap-free.
    await rm(gate);
    // Queued messages (an `approve` among them) run now: cancel until each session is quiet.
    for (const id of ids) {
      let state = '';
      await waitFor(
        async () => {
          const g = (await api.get(d.state, id)) as Got & { queued: unknown[] };
          if (g.transcript.activeRunId === null && g.queued.length === 0) return true;
          const c = await rawRequest(d.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' });
          state = `active ${g.transcript.activeRunId}, ${g.queued.length} queued, cancel ${c.body}; log tail ${(await readLogFile(home, id))
            .slice(-6)
            .map((l) => `${l.seq} ${l.type}`)
            .join(', ')}; ${d
            .logs()
            .split('\n')
            .filter((l) => l.includes(id))
            .slice(-4)
            .join(' | ')}`;
          return false;
        },
        60_000,
        `session ${id} to go quiet`,
      ).catch((err: Error) => {
        throw new Error(`${err.message}: ${state}`);
      });
      expect((await api.post(d.state, id, 'say settled')).status).toBe(202);
    }
    let storageEnds = 0;
    for (const id of ids) {
      const g = await idle(d, id);
      storageEnds += runEnds(g).filter((e) => e.error?.kind === 'storage').length;
      await assertLogGapFree(home, id, g.session.lastSeq);
    }
    expect(d.proc.exitCode).toBeNull();
    expect(d.logs()).not.toMatch(/nhandled/);
    await d.kill();
    const d2 = await startTestDaemon({ home, env: STRICT });
    cleanups.push(() => d2.kill());
    for (const id of ids) {
      const g = await get(d2, id);
      await assertLogGapFree(home, id, g.session.lastSeq);
    }
    console.log(
      `storage/eio: ${rounds} posts with EIO at 8 % of writes: statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; ${storageEnds} runs ended with kind storage; daemon up, no unhandled rejection, every log gap-free after restart`,
    );
  }, 180_000);
});
