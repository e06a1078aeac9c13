// Shared helpers of `npm run bench`: the scripted provider and a real daemon in a temp
// HERMES_HOME, raw HTTP to the daemon, cheap SSE readers, /proc sampling, statistics, and a
// registry of everything started so that the entry point can clean up even after a failure.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startProviderServer } from '../../test/provider-server/index.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// BENCH_CLI=<another build's hermes.js> measures that build (daemon and clients): before/after runs.
export const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(ROOT, 'packages/tui/dist/hermes.js');
export const CHILD_PRINT = fileURLToPath(new URL('./child-print.mjs', import.meta.url));
export const now = () => performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const MiB = 1024 * 1024;

// ── cleanup registry ─────────────────────────────────────────────────────────
/** @type {Set<() => Promise<void> | void>} */
const cleanups = new Set();

/** Registers an undo step; returns a function that runs it once and unregisters it. */
export function onCleanup(fn) {
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    cleanups.delete(run);
    await fn();
  };
  cleanups.add(run);
  return run;
}

/** Runs every registered undo step, newest first; never throws. */
export async function cleanupAll() {
  for (const fn of [...cleanups].reverse()) {
    try {
      await fn();
    } catch {
      // Best effort: a process that is already gone or a dir already removed is fine.
    }
  }
}

/** Kills a pid (and its process group when it leads one) if it is still alive. */
export function killPid(pid, signal = 'SIGTERM') {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Resolves when `pid` no longer exists (or after `timeoutMs`, then SIGKILLs it). */
export async function waitGone(pid, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(`/proc/${pid}`)) return;
    try {
      // A zombie still has /proc/<pid>; its state tells us it is done.
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) return;
    } catch {
      return;
    }
    await sleep(20);
  }
  killPid(pid, 'SIGKILL');
}

/** A temp HERMES_HOME; `removeHome(dir)` deletes it early, cleanupAll() otherwise. */
export async function tempHome(prefix = 'hermes-bench-') {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  homes.set(
    dir,
    onCleanup(() => rm(dir, { recursive: true, force: true })),
  );
  return dir;
}
const homes = new Map();
export async function removeHome(dir) {
  await homes.get(dir)?.();
  homes.delete(dir);
}

// ── /proc sampling ───────────────────────────────────────────────────────────
/** VmRSS and VmHWM (peak) of a process in bytes; null when it is gone. */
export function memOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

const CLK_TCK = 100; // USER_HZ is 100 on every Linux we run on (getconf CLK_TCK)

/** User + system CPU time of a process in ms (from /proc/<pid>/stat); null when it is gone. */
export function cpuMsOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Samples a pid's RSS every `everyMs`; `stop()` returns the peak and last values seen. */
export function rssSampler(pid, everyMs = 25) {
  let peak = 0;
  let last = 0;
  const tick = () => {
    const m = memOf(pid);
    if (m) {
      last = m.rss;
      peak = Math.max(peak, m.rss, Number.isFinite(m.hwm) ? m.hwm : 0);
    }
  };
  tick();
  const t = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(t);
      tick();
      return { peak, last };
    },
  };
}

// ── statistics ───────────────────────────────────────────────────────────────
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
export const median = (v) => percentile(v, 50);

// ── the stack: scripted provider + daemon ────────────────────────────────────
/**
 * The provider runs in this process so that the time of its last byte is known exactly:
 * every request record gets `doneAt` (after the last write of the turn) and `startAt`.
 */
export async function startProvider(opts = {}) {
  const provider = await startProviderServer(opts);
  const push = provider.requests.push.bind(provider.requests);
  provider.requests.push = (...records) => {
    for (const r of records) {
      r.startAt = now();
      let completed = r.completed;
      Object.defineProperty(r, 'completed', {
        configurable: true,
        enumerable: true,
        get: () => completed,
        set: (v) => {
          completed = v;
          if (v && r.doneAt === undefined) r.doneAt = now();
        },
      });
    }
    return push(...records);
  };
  provider.stop = onCleanup(() => provider.close());
  return provider;
}

/** Writes the config that points `scripted:*` at the provider (as test/support/stack.ts does). */
export async function writeConfig(home, provider, agent = undefined) {
  const config = {
    model: 'scripted:default',
    providers: { scripted: { type: 'openai', baseUrl: provider.openaiBaseUrl } },
    timeouts: { firstByteMs: 10000, idleMs: 10000 },
    retry: { maxRetries: 0, maxDelayMs: 200 },
    ...(agent ? { agent } : {}),
  };
  await writeFile(path.join(home, 'config.json'), JSON.stringify(config, null, 2));
}

export const childEnv = (home) => ({
  ...process.env,
  HERMES_HOME: home,
  OLLAMA_HOST: 'http://127.0.0.1:9',
  NO_COLOR: undefined,
  FORCE_COLOR: undefined,
});

/** Reads daemon.json once it exists (and belongs to a pid other than `notPid`). */
export async function waitForState(home, notPid, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const state = JSON.parse(await readFile(path.join(home, 'daemon.json'), 'utf8'));
      if (state.pid && state.pid !== notPid) return state;
    } catch {
      // not written yet
    }
    await sleep(20);
  }
  throw new Error(`no daemon.json in ${home} after ${timeoutMs} ms`);
}

/** `hermes daemon run --home DIR` as a child process. */
export async function startDaemon(home, { timeoutMs = 10000 } = {}) {
  // BENCH_DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the daemon.
  const nodeArgs = (process.env.BENCH_DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, CLI, 'daemon', 'run', '--home', home], {
    env: childEnv(home),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise((r) => proc.once('exit', r));
  const stop = onCleanup(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      killPid(proc.pid, 'SIGKILL');
    }
  });
  const state = await Promise.race([
    waitForState(home, undefined, timeoutMs),
    exited.then(() => {
      throw new Error(`the daemon exited early: ${stderr.slice(-2000)}`);
    }),
  ]);
  return { proc, pid: proc.pid, state, stop, logs: () => stderr };
}

/** Provider + home + config + daemon, with a client. */
export async function startStack(opts = {}) {
  const provider = await startProvider(opts.tokensPerSecond ? { tokensPerSecond: opts.tokensPerSecond } : {});
  const home = await tempHome();
  await writeConfig(home, provider, opts.agent);
  const daemon = opts.noDaemon ? null : await startDaemon(home);
  const client = daemon ? new Client(daemon.state) : null;
  const close = async () => {
    await daemon?.stop();
    await provider.stop();
    await removeHome(home);
  };
  return { provider, home, daemon, client, close };
}

// ── HTTP to the daemon ───────────────────────────────────────────────────────
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
onCleanup(() => agent.destroy());

export class Client {
  constructor(state) {
    this.state = state;
  }
  /** A JSON request; rejects on a status >= 400. */
  request(method, urlPath, body) {
    return new Promise((resolve, reject) => {
      const headers = { host: `127.0.0.1:${this.state.port}`, authorization: `Bearer ${this.state.token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = http.request({ host: '127.0.0.1', port: this.state.port, method, path: urlPath, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) reject(new Error(`${method} ${urlPath}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(text ? JSON.parse(text) : null);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }
  async createSession(body = {}) {
    return (await this.request('POST', '/v1/sessions', body)).session;
  }
  post(id, text) {
    return this.request('POST', `/v1/sessions/${id}/messages`, { text });
  }
  get(id) {
    return this.request('GET', `/v1/sessions/${id}`);
  }
  list() {
    return this.request('GET', '/v1/sessions');
  }

  /**
   * A cheap reader of a session's SSE stream: it splits frames and counts events without
   * parsing their JSON (so 50 of them in this process do not become the bottleneck), and
   * notes when each `run.completed` arrives.
   */
  subscribe(id, after = 0) {
    let buf = '';
    let events = 0;
    let lastSeq = after;
    let firstAt = 0;
    let lastAt = 0;
    let completedRuns = 0;
    /** Arrival time of each run.completed, so a late `runCompleted(n)` still gets its time. */
    const completedAt = [];
    let deltas = 0;
    let deltaFirstAt = 0;
    let deltaLastAt = 0;
    /** @type {Array<{n: number, resolve: (t: number) => void}>} */
    let waiters = [];
    let attachedResolve;
    const attached = new Promise((r) => (attachedResolve = r));
    const req = http.request({
      host: '127.0.0.1',
      port: this.state.port,
      path: `/v1/sessions/${id}/events?after=${after}`,
      headers: { host: `127.0.0.1:${this.state.port}`, authorization: `Bearer ${this.state.token}` },
      agent: false,
    });
    const reader = {
      get events() {
        return events;
      },
      get lastSeq() {
        return lastSeq;
      },
      get firstAt() {
        return firstAt;
      },
      get lastAt() {
        return lastAt;
      },
      get completedRuns() {
        return completedRuns;
      },
      /** message.delta frames only: the relay's steady state, without the fsync'd prelude and epilogue. */
      get deltas() {
        return { n: deltas, firstAt: deltaFirstAt, lastAt: deltaLastAt };
      },
      attached,
      /** Resolves with the arrival time of the `n`th run.completed seen by this reader. */
      runCompleted(n = completedRuns + 1) {
        if (completedAt.length >= n) return Promise.resolve(completedAt[n - 1]);
        return new Promise((resolve) => waiters.push({ n, resolve }));
      },
      resetCounts() {
        events = 0;
        firstAt = 0;
        lastAt = 0;
        deltas = 0;
        deltaFirstAt = 0;
        deltaLastAt = 0;
      },
      close: () => req.destroy(),
    };
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const t = now();
        buf += chunk;
        let start = 0;
        let idx;
        while ((idx = buf.indexOf('\n\n', start)) >= 0) {
          const block = buf.slice(start, idx);
          start = idx + 2;
          if (block.startsWith('id: ')) {
            events++;
            if (firstAt === 0) firstAt = t;
            lastAt = t;
            lastSeq = Number(block.slice(4, block.indexOf('\n')));
            if (block.includes('\nevent: message.delta\n')) {
              deltas++;
              if (deltaFirstAt === 0) deltaFirstAt = t;
              deltaLastAt = t;
            }
            if (block.includes('\nevent: run.completed\n')) {
              completedRuns++;
              completedAt.push(t);
              const due = waiters.filter((w) => w.n <= completedRuns);
              waiters = waiters.filter((w) => w.n > completedRuns);
              for (const w of due) w.resolve(t);
            }
          } else if (block.startsWith('event: attached')) attachedResolve(t);
        }
        buf = buf.slice(start);
      });
      res.on('error', () => {});
    });
    req.on('error', () => {});
    req.end();
    return reader;
  }
}

/** Reads the provider's SSE directly (the baseline of every streaming figure): time to the last byte and chunks seen. */
export function readProviderDirect(provider, model = 'direct') {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'bench' }] });
    const t0 = now();
    let firstAt = 0;
    let chunks = 0;
    let buf = '';
    let text = '';
    const req = http.request(
      `${provider.openaiBaseUrl}/chat/completions`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (d) => {
          if (!firstAt) firstAt = now();
          buf += d;
          let idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            if (!frame.startsWith('data: ') || frame === 'data: [DONE]') continue;
            // Parse every chunk, as any real client must, to get the text out.
            const json = JSON.parse(frame.slice(6));
            const c = json.choices?.[0]?.delta?.content;
            if (c) {
              chunks++;
              text += c;
            }
          }
        });
        res.on('end', () => resolve({ ms: now() - t0, firstAt, lastAt: now(), chunks, chars: text.length }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** p50 latency of a small append + fdatasync in `dir`: what every durable event (run.completed) pays. */
export async function fsyncProbe(dir, n = 7) {
  const { open } = await import('node:fs/promises');
  const fh = await open(path.join(dir, 'fsync-probe'), 'a');
  const times = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = now();
      await fh.write('{"probe":true}\n');
      await fh.datasync();
      times.push(now() - t0);
    }
  } finally {
    await fh.close();
    await rm(path.join(dir, 'fsync-probe'), { force: true });
  }
  return median(times);
}

// ── child processes ──────────────────────────────────────────────────────────
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a command to completion: wall time, peak RSS (from GNU time's %M, or /proc polling),
 * stdout byte count and stderr. The command runs directly, not through a shell.
 */
export async function runMeasured(cmd, args, opts = {}) {
  const rssFile = TIME ? path.join(os.tmpdir(), `hermes-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : null;
  const [file, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = now();
  const proc = spawn(file, argv, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = onCleanup(() => killPid(proc.pid, 'SIGKILL'));
  const sampler = TIME ? null : rssSampler(proc.pid, 5);
  let stdoutBytes = 0;
  let stdoutTail = '';
  let stderr = '';
  proc.stdout.on('data', (d) => {
    stdoutBytes += d.length;
    stdoutTail = (stdoutTail + d.toString()).slice(-200);
  });
  proc.stderr.on('data', (d) => (stderr += d.toString()));
  const code = await new Promise((r) => proc.once('close', (c) => r(c)));
  const ms = now() - t0;
  await kill();
  let peakRss = NaN;
  if (rssFile) {
    try {
      const lines = (await readFile(rssFile, 'utf8')).trim().split('\n');
      peakRss = Number(lines.at(-1)) * 1024;
      // GNU time prints "Command exited with non-zero status N" before %M on failure.
      if (lines.length > 1) stderr = lines.slice(0, -1).join('\n') + '\n' + stderr;
    } catch {
      // no file: the command could not be run
    }
    await rm(rssFile, { force: true });
  } else peakRss = sampler.stop().peak;
  return { code, ms, peakRss, stdoutBytes, stdoutTail, stderr };
}

/** True when a CLI command is still the "not built yet" placeholder. */
export const notBuilt = (stderr) => /not built yet/i.test(stderr);
