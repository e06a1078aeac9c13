// The daemon under load: RSS and CPU with 20 sessions streaming at once, and memory across
// 1,000 runs (sampled after run 100 and after run 1,000: it must not grow).
import { cpuMsOf, memOf, MiB, now, rssSampler, sleep, startStack } from './common.mjs';
import { row } from './report.mjs';

const AREA = 'daemon';

/** RSS once the daemon has settled: the lowest of a few samples, so a GC in flight does not count. */
async function settledRss(pid) {
  await sleep(300);
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    min = Math.min(min, memOf(pid)?.rss ?? Infinity);
    await sleep(60);
  }
  return min;
}

/** CPU share (percent of one core) and RSS of an idle daemon over `ms`. */
async function idle(pid, ms) {
  const c0 = cpuMsOf(pid);
  const t0 = now();
  const s = rssSampler(pid);
  await sleep(ms);
  const { peak } = s.stop();
  return { cpuPct: ((cpuMsOf(pid) - c0) / (now() - t0)) * 100, rss: peak };
}

export async function run({ quick }) {
  const rows = [];
  const stack = await startStack();
  const { client, provider, daemon } = stack;
  const pid = daemon.pid;
  try {
    // Warm-up: one run so that the agent, provider client and log paths are loaded.
    const w = await client.createSession({ model: 'scripted:warm' });
    const wr = client.subscribe(w.id);
    provider.script({ type: 'long', tokens: 500 }, { model: 'warm' });
    await client.post(w.id, 'warm');
    await wr.runCompleted(1);
    wr.close();

    const base = await idle(pid, 1000);

    // 20 sessions streaming at once, each at a realistic 80 tokens/s, each with a subscriber.
    const S = 20;
    const tokens = quick ? 120 : 320;
    const sessions = await Promise.all(Array.from({ length: S }, (_, i) => client.createSession({ model: `scripted:par-${i}` })));
    const readers = sessions.map((s) => client.subscribe(s.id));
    await Promise.all(readers.map((r) => r.attached));
    sessions.forEach((_, i) => provider.script({ type: 'long', tokens, tokensPerSecond: 80 }, { model: `par-${i}` }));
    const c0 = cpuMsOf(pid);
    const t0 = now();
    const sampler = rssSampler(pid);
    await Promise.all(sessions.map((s) => client.post(s.id, 'go')));
    await Promise.all(readers.map((r) => r.runCompleted(1)));
    const cpuPct = ((cpuMsOf(pid) - c0) / (now() - t0)) * 100;
    const { peak } = sampler.stop();
    const events = readers.reduce((a, r) => a + r.events, 0);
    for (const r of readers) r.close();
    rows.push(
      row({
        area: AREA,
        metric: `CPU, ${S} sessions streaming at 80 tok/s (% of one core)`,
        value: cpuPct,
        unit: '%',
        baseline: base.cpuPct,
        baselineWhat: 'idle daemon',
      }),
      row({
        area: AREA,
        metric: `peak RSS, ${S} sessions streaming at 80 tok/s`,
        value: peak / MiB,
        unit: 'MiB',
        baseline: base.rss / MiB,
        baselineWhat: 'idle daemon after warm-up',
      }),
      row({
        area: AREA,
        metric: `CPU per 1k events relayed (${S} sessions, ${events} events)`,
        value: ((cpuPct / 100) * (now() - t0)) / (events / 1000),
        unit: 'ms',
      }),
    );

    // 1,000 short runs across 10 sessions (10 at a time); RSS after run 100 and after the last.
    const total = quick ? 300 : 1000;
    const W = 10;
    const ws = await Promise.all(Array.from({ length: W }, (_, i) => client.createSession({ model: `scripted:loop-${i}` })));
    const wreaders = ws.map((s) => client.subscribe(s.id));
    await Promise.all(wreaders.map((r) => r.attached));
    let done = 0;
    const phase = async (count) => {
      const per = count / W;
      const t = now();
      await Promise.all(
        ws.map(async (s, i) => {
          for (let k = 0; k < per; k++) {
            provider.script({ type: 'text', text: 'ok' }, { model: `loop-${i}` });
            const n = wreaders[i].completedRuns + 1;
            await client.post(s.id, `message ${done}`);
            await wreaders[i].runCompleted(n);
            done++;
          }
        }),
      );
      return now() - t;
    };
    await phase(100);
    const after100 = await settledRss(pid);
    const ms = await phase(total - 100);
    const afterN = await settledRss(pid);
    // Another `total` runs: growth that continues is a leak; growth that stops was V8 sizing
    // its heap to the load (and the sessions' own history, ~2 KB a run, kept for replay).
    await phase(total);
    const after2N = await settledRss(pid);
    for (const r of wreaders) r.close();
    rows.push(
      row({
        area: AREA,
        metric: 'RSS after run 100',
        value: after100 / MiB,
        unit: 'MiB',
        baseline: base.rss / MiB,
        baselineWhat: 'idle daemon after warm-up',
      }),
      row({
        area: AREA,
        metric: `RSS after run ${total}`,
        value: afterN / MiB,
        unit: 'MiB',
        baseline: after100 / MiB,
        baselineWhat: 'after run 100',
        target: { text: 'no growth (< 1.1×)', on: 'ratio', op: '<', limit: 1.1 },
      }),
      row({ area: AREA, metric: `RSS growth, run 100 → run ${total}`, value: (afterN - after100) / MiB, unit: 'MiB' }),
      row({
        area: AREA,
        metric: `RSS after run ${2 * total} (steady state)`,
        value: after2N / MiB,
        unit: 'MiB',
        baseline: afterN / MiB,
        baselineWhat: `after run ${total}`,
      }),
      row({ area: AREA, metric: `short runs per second (${W} sessions at once)`, value: ((total - 100) / ms) * 1000, unit: 'runs/s' }),
    );
  } finally {
    await stack.close();
  }
  return rows;
}
