// Part 2: clients dropping and resuming at random seqs while runs stream; each must see the
// log exactly (no gap, no duplicate). Raw SSE readers and the product's SessionEventStream.
import type { DaemonState, HermesEvent } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonClient } from '../../packages/tui/dist/client/api.js';
import { SessionEventStream } from '../../packages/tui/dist/client/event-stream.js';
import { api, readSse, removeHome, startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { gapFree, logEvents, scaled, seededRandom, sleep, waitFor } from './support/chaos.js';

type Rnd = ReturnType<typeof seededRandom>;

/**
 * A raw SSE client that drops its connection after a random few ms and resumes from its
 * cursor (header or query, at random); now and then it forgets a random suffix of what it has
 * and resumes from that earlier seq. Every resumed slice must start right after the cursor.
 */
async function flakyRawClient(
  state: DaemonState,
  id: string,
  rnd: Rnd,
  until: () => boolean,
  stats: { reconnects: number; rewinds: number },
): Promise<HermesEvent[]> {
  let got: HermesEvent[] = [];
  for (;;) {
    const cursor = got.at(-1)?.seq ?? 0;
    const r = readSse(state, id, rnd.next() < 0.5 ? { lastEventId: String(cursor) } : { after: cursor });
    const finalPass = until();
    if (finalPass) {
      const lastSeq = (await api.get(state, id)).lastSeq as number;
      if (cursor < lastSeq) await r.until((e) => e.seq === lastSeq, 20_000);
      else await sleep(50);
    } else {
      await r.response.catch(() => undefined);
      await sleep(rnd.int(2, 60));
    }
    r.close();
    await r.closed;
    const slice = r.events;
    slice.forEach((e, i) => {
      if (e.seq !== cursor + i + 1) throw new Error(`resumed after ${cursor} but event ${i} has seq ${e.seq}`);
    });
    got = got.concat(slice);
    if (finalPass) return got;
    stats.reconnects++;
    if (rnd.next() < 0.1 && got.length > 0) {
      got = got.slice(0, rnd.int(0, got.length - 1));
      stats.rewinds++;
    }
  }
}

describe('disconnects: clients dropping and resuming while runs stream', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon();
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('raw SSE clients and the product client each see the log exactly once', async () => {
    const rnd = seededRandom('disconnects');
    const s = await api.createSession(d.state);
    const rawClients = 4;
    const rawTarget = scaled(60); // per raw client: 240 reconnects in all
    const productClients = 2;
    const productTarget = scaled(20); // aborts per product client
    const stats = { reconnects: 0, rewinds: 0 };
    const productAborts = Array.from({ length: productClients }, () => 0);
    const rawDone = () => stats.reconnects >= rawClients * rawTarget;
    const productDone = () => productAborts.every((n) => n >= productTarget);
    // Raw clients make their final, complete pass only once the session is idle for good.
    let idle = false;

    // The product's own client, whose connection is cut under it at random.
    const client = new DaemonClient(d.state);
    const product = Array.from({ length: productClients }, (_, k) => {
      const events: HermesEvent[] = [];
      let live = false;
      const stream = new SessionEventStream(client, s.id, {
        onEvent: (e) => events.push(e),
        onStatus: (st) => (live = st === 'live'),
      });
      const chaos = (async () => {
        while (productAborts[k]! < productTarget) {
          await waitFor(() => live, 10_000, 'the product stream to be live');
          await sleep(rnd.int(5, 120));
          live = false;
          // The stream's own connection controller: the cut a network failure would cause.
          (stream as unknown as { abort: AbortController | null }).abort?.abort();
          productAborts[k]!++;
        }
      })();
      return { events, stream, chaos };
    });

    // Runs keep streaming while the clients flap: queue a new one whenever the queue is short.
    const poster = (async () => {
      let posted = 0;
      while (!(rawDone() && productDone())) {
        const got = await api.get(d.state, s.id);
        if ((got.queued as unknown[]).length < 2) {
          await api.post(d.state, s.id, rnd.next() < 0.7 ? 'stream 300 2' : 'stream 3000');
          posted++;
        }
        await sleep(100);
      }
      return posted;
    })();

    const raws = Array.from({ length: rawClients }, () => flakyRawClient(d.state, s.id, rnd, () => idle, stats));
    const posted = await poster;
    await Promise.all(product.map((p) => p.chaos));
    // Let the last run finish, then every client catches up to the end of the log.
    await waitFor(
      async () => {
        const got = await api.get(d.state, s.id);
        return got.session.status === 'idle' && (got.queued as unknown[]).length === 0;
      },
      60_000,
      'the session to go idle',
    );
    idle = true;
    const lastSeq = (await api.get(d.state, s.id)).lastSeq as number;
    const rawResults = await Promise.all(raws);
    for (const p of product) {
      await waitFor(() => p.events.at(-1)?.seq === lastSeq, 60_000, 'the product stream to catch up').catch((err: Error) => {
        throw new Error(`${err.message}: cursor ${p.stream.cursor}, ${p.events.length} events, log at ${lastSeq}`);
      });
    }
    for (const p of product) {
      p.stream.close();
      await p.stream.finished;
    }

    const log = await logEvents(d.home, s.id);
    expect(log.length).toBe(lastSeq);
    expect(gapFree(log.map((e) => e.seq))).toBe(true);
    for (const r of rawResults) expect(r).toEqual(log);
    for (const p of product) expect(p.events).toEqual(log);
    const aborts = productAborts.reduce((a, b) => a + b, 0);
    console.log(
      `disconnects: ${rawClients} raw SSE clients, ${stats.reconnects} drops/resumes (${stats.rewinds} to a random earlier seq) + ${productClients} SessionEventStream clients, ${aborts} connection aborts; ${posted} runs, ${lastSeq} events; every client's sequence equals the log, 0 gaps, 0 duplicates`,
    );
    expect(stats.reconnects).toBeGreaterThanOrEqual(200);
  }, 120_000);
});
