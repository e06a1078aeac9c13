// Relay: what the daemon adds between the provider and its subscribers. The baseline is an
// HTTP client reading the scripted provider's SSE directly (the same tokens, parsed).
import { fsyncProbe, median, now, readProviderDirect, sleep, startStack, writeConfig } from './common.mjs';
import { row } from './report.mjs';

const AREA = 'relay';

/** One run to `k` fresh subscribers of a new session; returns rates and the overhead after the provider's last byte. */
async function relayRun(stack, k, turn, tag) {
  const { client, provider } = stack;
  const model = `relay-${tag}`;
  const s = await client.createSession({ model: `scripted:${model}` });
  const readers = Array.from({ length: k }, () => client.subscribe(s.id, 0));
  await Promise.all(readers.map((r) => r.attached));
  for (const r of readers) r.resetCounts();
  provider.script(turn, { model });
  const t0 = now();
  await client.post(s.id, 'bench');
  await Promise.all(readers.map((r) => r.runCompleted(1)));
  const record = provider.requests.find((q) => q.model === model);
  for (const r of readers) r.close();
  // Rates count message.delta frames from the first to the last one: the durable (fsync'd)
  // prelude and run.completed would otherwise measure the disk, which the overhead row shows.
  const firstAt = Math.min(...readers.map((r) => r.deltas.firstAt));
  const deltaLastAt = Math.max(...readers.map((r) => r.deltas.lastAt));
  const lastAt = Math.max(...readers.map((r) => r.lastAt));
  const perReader = readers[0].deltas.n;
  return {
    wallMs: lastAt - t0,
    eventsPerReader: perReader,
    aggregateRate: (readers.reduce((a, r) => a + r.deltas.n, 0) / (deltaLastAt - firstAt)) * 1000,
    perReaderRate: (perReader / (deltaLastAt - firstAt)) * 1000,
    overheadMs: lastAt - record.doneAt,
    providerMs: record.doneAt - record.startAt,
  };
}

export async function run({ quick }) {
  const rows = [];
  const N = quick ? 3000 : 20000;
  const fan = quick ? [1, 10] : [1, 10, 50];
  const stack = await startStack();
  const { provider } = stack;
  try {
    // Warm both paths (JIT, sockets, the session manager) before anything is timed.
    await relayRun(stack, 1, { type: 'long', tokens: 2000 }, 'warm');
    provider.script({ type: 'long', tokens: 2000 }, { model: 'direct-warm' });
    await readProviderDirect(provider, 'direct-warm');

    // Baseline: the same N tokens read straight from the provider, best of 3 (noise only slows).
    const direct = [];
    for (let i = 0; i < 3; i++) {
      provider.script({ type: 'long', tokens: N }, { model: `direct-${i}` });
      const d = await readProviderDirect(provider, `direct-${i}`);
      direct.push((d.chunks / (d.lastAt - d.firstAt)) * 1000);
    }
    const directRate = Math.max(...direct);
    // run.completed is fsync'd before it is sent, so the disk sets a floor under the overhead.
    const fsyncMs = await fsyncProbe(stack.home);

    // The relay's own capacity: batching off (agent.streamIntervalMs 0), so every provider chunk
    // is one event through the log and out to every subscriber. The config is read per run.
    await writeConfig(stack.home, provider, { streamIntervalMs: 0 });

    for (const k of fan) {
      const runs = [];
      for (let i = 0; i < (k === 50 ? 1 : 2); i++) runs.push(await relayRun(stack, k, { type: 'long', tokens: N }, `${k}-${i}`));
      const best = runs.reduce((a, b) => (b.aggregateRate > a.aggregateRate ? b : a));
      rows.push(
        row({
          area: AREA,
          metric: `events/s delivered, ${k} subscriber${k > 1 ? 's' : ''} (sum), ${N} tokens full speed, unbatched`,
          value: best.aggregateRate,
          unit: 'ev/s',
          baseline: directRate,
          baselineWhat: 'direct read of provider SSE, chunks/s',
          target: { text: '> 50,000 ev/s', on: 'value', op: '>', limit: 50000 },
        }),
      );
      if (k > 1) {
        rows.push(
          row({
            area: AREA,
            metric: `events/s per subscriber, ${k} subscribers`,
            value: best.perReaderRate,
            unit: 'ev/s',
            baseline: directRate,
            baselineWhat: 'direct read',
          }),
        );
      }
      rows.push(
        row({
          area: AREA,
          metric: `provider last byte → last subscriber's last byte, ${k} sub, full speed, unbatched`,
          value: best.overheadMs,
          unit: 'ms',
          baseline: fsyncMs,
          baselineWhat: 'one append + fdatasync on this disk',
          note: `provider took ${best.providerMs.toFixed(0)} ms to send`,
        }),
      );
    }

    // What users get: the default batching (one event per ~16 ms at most) at full speed.
    await writeConfig(stack.home, provider);
    const batched = [];
    for (let i = 0; i < 2; i++) batched.push(await relayRun(stack, 1, { type: 'long', tokens: N }, `batched-${i}`));
    const bestBatched = batched.reduce((a, b) => (b.overheadMs < a.overheadMs ? b : a));
    rows.push(
      row({
        area: AREA,
        metric: `provider last byte → subscriber's last byte, full speed, batched deltas (default)`,
        value: bestBatched.overheadMs,
        unit: 'ms',
        baseline: fsyncMs,
        baselineWhat: 'one append + fdatasync on this disk',
        note: `${bestBatched.eventsPerReader} message.delta events for ${N} tokens in ${bestBatched.providerMs.toFixed(0)} ms`,
      }),
    );

    // Realistic pace: at 80 tokens/s the daemon is idle between tokens, so this is pure latency.
    const paced = [];
    const pacedDirect = [];
    const reps = quick ? 3 : 6;
    for (let i = 0; i < reps; i++) {
      const r = await relayRun(stack, 1, { type: 'long', tokens: 24, tokensPerSecond: 80 }, `paced-${i}`);
      paced.push(r.overheadMs);
      provider.script({ type: 'long', tokens: 24, tokensPerSecond: 80 }, { model: `pdirect-${i}` });
      const d = await readProviderDirect(provider, `pdirect-${i}`);
      const rec = provider.requests.find((q) => q.model === `pdirect-${i}`);
      pacedDirect.push(d.lastAt - rec.doneAt);
      await sleep(10);
    }
    rows.push(
      row({
        area: AREA,
        metric: `provider last byte → subscriber's last byte at 80 tok/s (p50 of ${reps})`,
        value: median(paced),
        unit: 'ms',
        baseline: median(pacedDirect),
        baselineWhat: 'direct reader, same measure',
      }),
      row({
        area: AREA,
        metric: 'append + fdatasync on the HERMES_HOME disk (p50)',
        value: fsyncMs,
        unit: 'ms',
        note: 'the floor under every durable event',
      }),
    );
  } finally {
    await stack.close();
  }
  return rows;
}
