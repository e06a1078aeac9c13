// History-independent cost: a HERMES_HOME with 10,000 sessions generated from a real log.
// The files are written directly (no 10,000 agent runs); the daemon is real.
import { mkdir, readFile, rm, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, rawRequest, readSse, removeHome, startTestDaemon, tempHome, type TestDaemon } from '../support/daemon.js';
import { gapFree, sleep } from './support/chaos.js';
import { readLogFile } from '../support/daemon.js';

const COUNT = Number(process.env.HERMES_SCALE_SESSIONS ?? 10_000);

interface Summary {
  id: string;
  title: string;
  status: string;
  lastSeq: number;
  updatedAt: string;
}
interface Page {
  sessions: Summary[];
  nextCursor?: string | null;
  total?: number;
}

const hex = (n: number) => n.toString(16).padStart(6, '0');
/** Ids that sort by age: one second apart, the counter as the random part. */
function idOf(i: number): string {
  const t = new Date(Date.UTC(2025, 0, 1) + i * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}_${hex(i)}`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, Math.round(performance.now() - t0)];
}

const list = async (d: TestDaemon, query = '') => (await rawRequest(d.state, 'GET', `/v1/sessions${query}`)).json() as Page;
const hello = async (d: TestDaemon) =>
  (await rawRequest(d.state, 'GET', '/v1/hello')).json() as { sessions: { total: number; loaded: number; active: number } };

describe(`scale: ${COUNT} sessions in HERMES_HOME`, () => {
  const homes: string[] = [];
  const daemons: TestDaemon[] = [];
  afterAll(async () => {
    for (const d of daemons) await d.kill('SIGKILL').catch(() => {});
    for (const h of homes) await removeHome(h);
  });
  const start = async (home: string) => {
    // Starts that rebuild the index fold up to 10,000 logs: slow on a loaded machine.
    const [d, ms] = await timed(() => startTestDaemon({ home, startTimeoutMs: 180_000 }));
    daemons.push(d);
    return { d, ms };
  };

  it('starts, lists, pages, opens, posts to an old one; evicts and reloads byte-identically; repairs the index; kill -9 closes exactly the open runs', async () => {
    // A real log to copy: a session with a real run, written by the daemon.
    const tplHome = await tempHome('hermes-scale-tpl-');
    homes.push(tplHome);
    const { d: tpl } = await start(tplHome);
    const tplId = (await api.createSession(tpl.state, { title: 'TEMPLATE-TITLE' })).id;
    const sse = readSse(tpl.state, tplId);
    await api.post(tpl.state, tplId, 'say hello from the template');
    await sse.until((e) => e.type === 'run.completed');
    sse.close();
    await tpl.kill();
    const template = await readFile(path.join(tplHome, 'sessions', `${tplId}.jsonl`), 'utf8');

    const home = await tempHome('hermes-scale-');
    homes.push(home);
    const dir = path.join(home, 'sessions');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ids = Array.from({ length: COUNT }, (_, i) => idOf(i));
    const [, genMs] = await timed(async () => {
      for (let i = 0; i < COUNT; i += 500) {
        await Promise.all(
          ids.slice(i, i + 500).map((id, j) =>
            writeFile(path.join(dir, `${id}.jsonl`), template.replaceAll(tplId, id).replace('TEMPLATE-TITLE', `generated ${i + j}`), {
              mode: 0o600,
            }),
          ),
        );
      }
    });

    // First start: no index yet, so every log is folded once (the repair), then never again.
    const first = await start(home);
    expect((await hello(first.d)).sessions.total).toBe(COUNT);
    await first.d.kill();
    const indexFile = path.join(dir, '.state', 'index.jsonl');
    expect((await stat(indexFile)).size).toBeGreaterThan(COUNT * 100);

    // Second start: from the index.
    const { d, ms: startMs } = await start(home);
    const h = await hello(d);
    expect(h.sessions.total).toBe(COUNT);
    expect(h.sessions.loaded).toBeLessThan(10);
    const [page, listMs] = await timed(() => list(d, '?limit=50'));
    expect(page.sessions).toHaveLength(50);
    expect(page.total).toBe(COUNT);
    expect(page.sessions[0]!.id).toBe(ids.at(-1));
    // Every session exactly once through the cursor.
    const seen = new Set<string>();
    let cursor: string | null | undefined = null;
    do {
      const p: Page = await list(d, `?limit=1000${cursor ? `&before=${cursor}` : ''}`);
      for (const s of p.sessions) seen.add(s.id);
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(COUNT);
    const needle = COUNT - 43; // as many digits as the largest: a substring of no other title
    const found = await list(d, `?q=${encodeURIComponent(`GENERATED ${needle}`)}&limit=5`);
    expect(found.sessions.map((s) => s.title)).toEqual([`generated ${needle}`]);
    // Without parameters: today's shape, every session.
    const whole = await list(d);
    expect(whole.sessions).toHaveLength(COUNT);
    expect(whole.nextCursor).toBeUndefined();

    // Open an old one and post to it.
    const old = ids[7]!;
    const got = await api.get(d.state, old);
    expect(got.session.title).toBe('generated 7');
    const oldSse = readSse(d.state, old, { after: got.lastSeq });
    expect((await api.post(d.state, old, 'say still here')).status).toBe(202);
    await oldSse.until((e) => e.type === 'run.completed');
    oldSse.close();

    // Eviction and reload: byte-identical answers.
    const probe = ids[100]!;
    const before = (await rawRequest(d.state, 'GET', `/v1/sessions/${probe}`)).body;
    for (const id of ids.slice(200, 400)) expect((await rawRequest(d.state, 'GET', `/v1/sessions/${id}`)).status).toBe(200);
    const loaded = (await hello(d)).sessions.loaded;
    expect(loaded).toBeLessThanOrEqual(65);
    const after = (await rawRequest(d.state, 'GET', `/v1/sessions/${probe}`)).body;
    expect(after).toBe(before);
    console.log(
      `scale: generated ${COUNT} sessions in ${genMs} ms; first start (index built from the logs) ${first.ms} ms; start from the index ${startMs} ms; list --limit 50 ${listMs} ms; after opening 200 others ${loaded} loaded; reload byte-identical`,
    );

    // kill -9 with runs open in 3 of them: exactly those are closed as interrupted.
    const running = [ids[11]!, ids[5000 % COUNT]!, ids.at(-2)!];
    for (const id of running) {
      const s = readSse(d.state, id);
      expect((await api.post(d.state, id, 'wait 60000')).status).toBe(202);
      await s.until((e) => e.type === 'run.started');
      s.close();
    }
    const lastSeqs = new Map((await list(d)).sessions.map((s) => [s.id, s.lastSeq]));
    await sleep(400); // the index's batched write (a crash may or may not catch it: both must hold)
    await d.kill('SIGKILL');
    const { d: d2, ms: crashStartMs } = await start(home);
    const afterCrash = (await list(d2)).sessions;
    expect(afterCrash).toHaveLength(COUNT);
    expect(afterCrash.filter((s) => s.status !== 'idle')).toEqual([]);
    const changed = afterCrash
      .filter((s) => s.lastSeq !== lastSeqs.get(s.id))
      .map((s) => s.id)
      .sort();
    expect(changed).toEqual([...running].sort());
    for (const id of running) {
      const g = await api.get(d2.state, id);
      const end = g.transcript.items.filter((i: { kind: string }) => i.kind === 'run_end').at(-1);
      expect(end).toMatchObject({ stopReason: 'interrupted' });
      expect(gapFree((await readLogFile(home, id)).map((l) => l.seq))).toBe(true);
    }
    expect((await hello(d2)).sessions.loaded).toBeLessThan(10);
    await d2.kill();
    console.log(
      `scale: kill -9 with 3 runs open: restart in ${crashStartMs} ms closed exactly those 3 (interrupted); no session shows running`,
    );

    // The index, deleted, torn or stale, is repaired from the logs (never trusted over them).
    const stale = ids[3]!;
    const staleLines = await readLogFile(home, stale);
    const renamed = {
      v: 1,
      seq: staleLines.length + 1,
      sessionId: stale,
      ts: '2030-01-01T00:00:00.000Z',
      type: 'session.updated',
      data: { title: 'renamed behind its back' },
    };
    await appendFile(path.join(dir, `${stale}.jsonl`), JSON.stringify(renamed) + '\n');
    const size = (await stat(indexFile)).size;
    await truncate(indexFile, Math.floor(size / 2) + 7); // torn mid-line, half the entries gone
    const { d: d3, ms: repairMs } = await start(home);
    const repaired = await list(d3);
    expect(repaired.sessions).toHaveLength(COUNT);
    expect(repaired.sessions[0]).toMatchObject({ id: stale, title: 'renamed behind its back', updatedAt: '2030-01-01T00:00:00.000Z' });
    expect(repaired.sessions.find((s) => s.id === ids[9000 % COUNT])?.title).toBe(`generated ${9000 % COUNT}`);
    await d3.kill();
    await rm(indexFile);
    const { d: d4, ms: rebuildMs } = await start(home);
    const rebuilt = await list(d4, '?limit=3');
    expect(rebuilt.total).toBe(COUNT);
    expect(rebuilt.sessions[0]!.title).toBe('renamed behind its back');
    await d4.kill();
    console.log(
      `scale: index torn at half + one stale log: start ${repairMs} ms, repaired; index deleted: start ${rebuildMs} ms, rebuilt; the stale log's new title wins`,
    );
  }, 600_000);
});
