// History-independent cost: daemon start (spawn → /v1/hello) and RSS with 0, 1,000 and
// 10,000 sessions in HERMES_HOME, RSS after opening 2,000 sessions one after another, and
// `sessions list --limit 50` with 10,000 sessions against an empty home. The session logs are
// written directly (a realistic run each); the first start builds the index and is not timed.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLI, childEnv, memOf, MiB, now, removeHome, runMeasured, sleep, startDaemon, tempHome } from './common.mjs';
import { row } from './report.mjs';

const AREA = 'scale';

function idOf(i) {
  const t = new Date(Date.UTC(2025, 0, 1) + i * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}_${i.toString(16).padStart(6, '0')}`;
}

/** One session's log as the daemon writes it: created, a message, a streamed reply, the end. */
function logOf(id, i) {
  const ts = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
  const runId = `run_${i}`;
  const events = [
    { type: 'session.created', data: { title: `session ${i}`, model: 'openai:gpt-4.1', workspace: '/home/user/project' } },
    { type: 'message.user', data: { messageId: `msg_u${i}`, text: `please look at issue ${i} and fix the failing test` } },
    { type: 'run.started', runId, data: { model: 'openai:gpt-4.1', messageId: `msg_u${i}` } },
    { type: 'message.started', runId, data: { messageId: `msg_a${i}` } },
    ...Array.from({ length: 20 }, (_, k) => ({
      type: 'message.delta',
      runId,
      data: { messageId: `msg_a${i}`, text: `word${k} and some more text ` },
    })),
    { type: 'message.completed', runId, data: { messageId: `msg_a${i}`, text: 'the whole reply '.repeat(20), toolCalls: [] } },
    { type: 'usage.updated', runId, data: { inputTokens: 1200, outputTokens: 300 } },
    { type: 'run.completed', runId, data: { stopReason: 'done', usage: { inputTokens: 1200, outputTokens: 300 } } },
  ];
  return events
    .map(
      (e, k) =>
        JSON.stringify({ v: 1, seq: k + 1, sessionId: id, ...(e.runId ? { runId: e.runId } : {}), ts, type: e.type, data: e.data }) + '\n',
    )
    .join('');
}

async function homeWith(count) {
  const home = await tempHome('hermes-bench-scale-');
  const dir = path.join(home, 'sessions');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, (_, j) => {
        const id = idOf(i + j);
        return writeFile(path.join(dir, `${id}.jsonl`), logOf(id, i + j), { mode: 0o600 });
      }),
    );
  }
  return { home, ids: Array.from({ length: count }, (_, i) => idOf(i)) };
}

async function settledRss(pid) {
  await sleep(300);
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    min = Math.min(min, memOf(pid)?.rss ?? Infinity);
    await sleep(60);
  }
  return min;
}

/** Median start time of `n` starts (the first, which builds the index, is not counted), and RSS. */
async function measureStart(home, n) {
  // The first start folds every log once to build the index: slow, and not what is measured.
  const warm = await startDaemon(home, { timeoutMs: 300_000 });
  await warm.stop();
  const times = [];
  let rss = NaN;
  for (let k = 0; k < n; k++) {
    // A daemon.json left by the previous one would be read as this one's (a start of 20 ms).
    await rm(path.join(home, 'daemon.json'), { force: true });
    const t0 = now();
    const d = await startDaemon(home);
    times.push(now() - t0);
    if (k === n - 1) rss = await settledRss(d.pid);
    await d.stop();
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], rss };
}

async function listTime(home, n) {
  await rm(path.join(home, 'daemon.json'), { force: true });
  const d = await startDaemon(home);
  const times = [];
  try {
    for (let k = 0; k < n; k++) {
      const r = await runMeasured(process.execPath, [CLI, 'sessions', 'list', '--limit', '50'], { env: childEnv(home) });
      if (r.code !== 0) throw new Error(`sessions list exited ${r.code}: ${r.stderr.slice(0, 200)}`);
      times.push(r.ms);
    }
  } finally {
    await d.stop();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function run({ quick }) {
  const rows = [];
  const big = quick ? 2000 : 10_000;
  const homes = [];
  try {
    const empty = await homeWith(0);
    const mid = await homeWith(1000);
    const large = await homeWith(big);
    homes.push(empty.home, mid.home, large.home);
    const starts = quick ? 3 : 5;
    const s0 = await measureStart(empty.home, starts);
    const s1 = await measureStart(mid.home, starts);
    const sN = await measureStart(large.home, starts);
    const startTarget = { text: '< 1.3× of 0 sessions', on: 'ratio', op: '<', limit: 1.3 };
    rows.push(
      row({ area: AREA, metric: 'daemon start, 0 sessions (spawn → hello)', value: s0.ms, unit: 'ms' }),
      row({ area: AREA, metric: 'daemon start, 1,000 sessions', value: s1.ms, unit: 'ms', baseline: s0.ms, baselineWhat: '0 sessions' }),
      row({
        area: AREA,
        metric: `daemon start, ${big.toLocaleString('en-US')} sessions`,
        value: sN.ms,
        unit: 'ms',
        baseline: s0.ms,
        baselineWhat: '0 sessions',
        target: startTarget,
      }),
      row({
        area: AREA,
        metric: `RSS after start, ${big.toLocaleString('en-US')} sessions`,
        value: sN.rss / MiB,
        unit: 'MiB',
        baseline: s0.rss / MiB,
        baselineWhat: '0 sessions',
        target: { text: '< 1.2× of 0 sessions', on: 'ratio', op: '<', limit: 1.2 },
      }),
    );

    // Opening 2,000 different sessions one after another: the LRU keeps memory flat.
    await rm(path.join(large.home, 'daemon.json'), { force: true });
    const d = await startDaemon(large.home);
    try {
      const base = await settledRss(d.pid);
      const open = Math.min(2000, big);
      const headers = { authorization: `Bearer ${d.state.token}` };
      for (const id of large.ids.slice(0, open)) {
        const res = await fetch(`http://127.0.0.1:${d.state.port}/v1/sessions/${id}`, { headers }).catch((err) => {
          throw new Error(
            `GET ${id}: ${err?.cause?.code ?? err}; daemon ${d.proc.exitCode ?? d.proc.signalCode ?? 'alive'}: ${d.logs().slice(-300)}`,
          );
        });
        if (res.status !== 200) throw new Error(`GET ${id}: ${res.status}`);
        await res.arrayBuffer();
      }
      const after = await settledRss(d.pid);
      rows.push(
        row({
          area: AREA,
          metric: `RSS growth after opening ${open.toLocaleString('en-US')} sessions`,
          value: (after - base) / MiB,
          unit: 'MiB',
          target: { text: '< +40 MiB', on: 'value', op: '<', limit: 40 },
        }),
      );
    } finally {
      await d.stop();
    }

    const runs = quick ? 3 : 7;
    const l0 = await listTime(empty.home, runs);
    const lN = await listTime(large.home, runs);
    rows.push(
      row({
        area: AREA,
        metric: `sessions list --limit 50, ${big.toLocaleString('en-US')} sessions`,
        value: lN,
        unit: 'ms',
        baseline: l0,
        baselineWhat: 'empty home',
        target: { text: '< 1.5× of empty', on: 'ratio', op: '<', limit: 1.5 },
      }),
    );
  } finally {
    // A daemon that is still writing its index on the way out must not lose the figures.
    for (const h of homes)
      await removeHome(h).catch(() =>
        sleep(500)
          .then(() => removeHome(h))
          .catch(() => {}),
      );
  }
  return rows;
}
