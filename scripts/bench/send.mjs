// `hermes send` end to end, as a user runs it: a fresh `node packages/tui/dist/hermes.js send`
// process per sample, timed from spawn to exit, its peak RSS from GNU time (or /proc).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import {
  CHILD_PRINT,
  CLI,
  childEnv,
  killPid,
  median,
  MiB,
  notBuilt,
  onCleanup,
  removeHome,
  runMeasured,
  startStack,
  tempHome,
  waitGone,
  writeConfig,
} from './common.mjs';
import { row, unavailable } from './report.mjs';

const AREA = 'send';
const T_RSS = { text: '< 80 MiB', on: 'value', op: '<', limit: 80 };
const T_20K = { text: '≤ 3× direct', on: 'ratio', op: '<', limit: 3 };
const T_Q_CURL = { text: '≤ 2× curl', on: 'ratio', op: '<', limit: 2 };
const T_Q_RSS = { text: '< 60 MiB', on: 'value', op: '<', limit: 60 };
const T_1TOK_NODE = { text: '≤ 1.6× node -e', on: 'ratio', op: '<', limit: 1.6 };

const CURL = ['/usr/bin/curl', '/usr/local/bin/curl', '/bin/curl'].find((p) => existsSync(p)) ?? null;

const send = (home, ...args) => runMeasured(process.execPath, [CLI, 'send', '--no-stdin', ...args], { env: childEnv(home) });

/** Runs `fn` n times and returns the results (sequentially: samples must not overlap). */
async function repeat(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

export async function run({ quick }) {
  const rows = [];
  const N = quick ? 3000 : 20000;
  const reps = quick ? 3 : 7;
  const stack = await startStack();
  const { provider, home } = stack;
  try {
    // Baseline: Node's own startup, the floor under any CLI written in Node.
    await runMeasured(process.execPath, ['-e', '']);
    const nodeE = await repeat(reps, () => runMeasured(process.execPath, ['-e', '']));
    const nodeMs = median(nodeE.map((r) => r.ms));
    const nodeRss = median(nodeE.map((r) => r.peakRss)) / MiB;

    provider.script({ type: 'text', text: 'ok' }, { model: 'default' });
    const probe = await send(home, 'hi');
    if (probe.code !== 0) {
      const note = notBuilt(probe.stderr)
        ? 'hermes send not built yet'
        : `send failed (exit ${probe.code}): ${probe.stderr.trim().slice(0, 80)}`;
      rows.push(
        unavailable(AREA, 'warm daemon, 1-token reply: wall time (p50)', 'ms', note, T_1TOK_NODE),
        unavailable(AREA, `warm daemon, ${N}-token reply: wall time (p50)`, 'ms', note, T_20K),
        unavailable(AREA, 'client peak RSS', 'MiB', note, T_RSS),
        unavailable(AREA, 'cold (daemon auto-started), 1-token reply', 'ms', note),
      );
      return rows;
    }

    // Warm daemon, 1-token reply ("ok" is one token of the scripted tokenizer).
    const one = await repeat(reps, async () => {
      provider.script({ type: 'text', text: 'ok' }, { model: 'default' });
      return send(home, 'hi');
    });
    const oneFailed = one.find((r) => r.code !== 0);
    rows.push(
      row({
        area: AREA,
        metric: `warm daemon, 1-token reply: wall time (p50 of ${reps})`,
        value: median(one.map((r) => r.ms)),
        unit: 'ms',
        baseline: nodeMs,
        baselineWhat: 'node -e ""',
        target: T_1TOK_NODE,
        ...(oneFailed ? { note: `a sample failed: ${oneFailed.stderr.slice(0, 80)}` } : {}),
      }),
      row({
        area: AREA,
        metric: 'warm daemon, 1-token reply: client peak RSS (max)',
        value: Math.max(...one.map((r) => r.peakRss)) / MiB,
        unit: 'MiB',
        baseline: nodeRss,
        baselineWhat: 'node -e ""',
        target: T_RSS,
      }),
    );

    // A long reply against a bare Node process reading the provider's stream and printing it.
    const bigReps = quick ? 1 : 3;
    const direct = await repeat(bigReps, async (i) => {
      provider.script({ type: 'long', tokens: N }, { model: `direct-${i}` });
      return runMeasured(process.execPath, [CHILD_PRINT, 'provider', provider.openaiBaseUrl, `direct-${i}`]);
    });
    const big = await repeat(bigReps, async () => {
      provider.script({ type: 'long', tokens: N }, { model: 'default' });
      return send(home, 'go');
    });
    const directMs = median(direct.map((r) => r.ms));
    // `send -q` (the final text only) against the floor of any client: curl draining the same stream.
    const quiet = await repeat(bigReps, async () => {
      provider.script({ type: 'long', tokens: N }, { model: 'default' });
      return send(home, '-q', 'go');
    });
    const curl = CURL
      ? await repeat(bigReps, async (i) => {
          provider.script({ type: 'long', tokens: N }, { model: `curl-${i}` });
          const body = JSON.stringify({ model: `curl-${i}`, stream: true, messages: [{ role: 'user', content: 'bench' }] });
          return runMeasured(CURL, [
            '-sS',
            '-N',
            '-o',
            '/dev/null',
            '-H',
            'content-type: application/json',
            '-d',
            body,
            `${provider.openaiBaseUrl}/chat/completions`,
          ]);
        })
      : null;
    const quietMs = median(quiet.map((r) => r.ms));
    rows.push(
      curl
        ? row({
            area: AREA,
            metric: `send -q, ${N}-token reply: wall time (p50 of ${bigReps})`,
            value: quietMs,
            unit: 'ms',
            baseline: median(curl.map((r) => r.ms)),
            baselineWhat: 'curl draining the provider stream',
            target: T_Q_CURL,
          })
        : unavailable(AREA, `send -q, ${N}-token reply vs curl`, 'ms', 'curl not installed', T_Q_CURL),
      row({
        area: AREA,
        metric: `send -q, ${N}-token reply: wall time (p50 of ${bigReps})`,
        value: quietMs,
        unit: 'ms',
        baseline: directMs,
        baselineWhat: 'node process reading provider SSE → stdout',
      }),
      row({
        area: AREA,
        metric: `send -q, ${N}-token reply: client peak RSS`,
        value: Math.max(...quiet.map((r) => r.peakRss)) / MiB,
        unit: 'MiB',
        target: T_Q_RSS,
      }),
    );
    rows.push(
      row({
        area: AREA,
        metric: `warm daemon, ${N}-token reply: wall time (p50 of ${bigReps})`,
        value: median(big.map((r) => r.ms)),
        unit: 'ms',
        baseline: directMs,
        baselineWhat: 'node process reading provider SSE → stdout',
        target: T_20K,
      }),
      row({
        area: AREA,
        metric: `warm daemon, ${N}-token reply: client peak RSS`,
        value: Math.max(...big.map((r) => r.peakRss)) / MiB,
        unit: 'MiB',
        baseline: median(direct.map((r) => r.peakRss)) / MiB,
        baselineWhat: 'same direct reader',
        target: T_RSS,
      }),
      row({
        area: AREA,
        metric: `${N}-token reply: bytes on stdout`,
        value: big[0].stdoutBytes,
        unit: 'B',
        baseline: direct[0].stdoutBytes,
        baselineWhat: 'direct reader',
      }),
    );

    // Cold: no daemon in a fresh home; send auto-starts one (then we stop it).
    const coldReps = quick ? 1 : 3;
    const cold = await repeat(coldReps, async () => {
      const h = await tempHome('hermes-bench-cold-');
      await writeConfig(h, provider);
      provider.script({ type: 'text', text: 'ok' }, { model: 'default' });
      const stopDaemon = onCleanup(async () => {
        const state = await readFile(path.join(h, 'daemon.json'), 'utf8')
          .then((t) => JSON.parse(t))
          .catch(() => null);
        if (state?.pid) {
          killPid(state.pid, 'SIGTERM');
          await waitGone(state.pid);
        }
      });
      const r = await send(h, 'hi');
      await stopDaemon();
      await removeHome(h);
      return r;
    });
    rows.push(
      row({
        area: AREA,
        metric: `cold (daemon auto-started), 1-token reply (p50 of ${coldReps})`,
        value: median(cold.map((r) => r.ms)),
        unit: 'ms',
        baseline: nodeMs,
        baselineWhat: 'node -e ""',
        ...(cold.some((r) => r.code !== 0) ? { note: 'a sample failed' } : {}),
      }),
    );
  } finally {
    await stack.close();
  }
  return rows;
}
