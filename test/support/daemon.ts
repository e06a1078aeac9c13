import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonState, parseKnownEvent, type HermesEvent } from '@hermes/protocol';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(ROOT, 'packages/tui/dist/hermes.js');
const TEST_DAEMON = fileURLToPath(new URL('./test-daemon.mjs', import.meta.url));

export async function tempHome(prefix = 'hermes-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Generous: a daemon start on a loaded 2-core machine (the full suite runs files in parallel) took over 10 s.
export async function waitForState(home: string, notPid?: number, timeoutMs = 30_000): Promise<DaemonState> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const state = DaemonState.parse(JSON.parse(await readFile(path.join(home, 'daemon.json'), 'utf8')));
      if (state.pid !== notPid) return state;
    } catch {
      // not yet written
    }
    await sleep(25);
  }
  throw new Error(`no daemon.json in ${home} after ${timeoutMs} ms`);
}

export interface TestDaemon {
  home: string;
  state: DaemonState;
  proc: ChildProcess;
  /** stderr of the daemon so far, for failure messages. */
  logs(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a real daemon process on loopback with a temporary HERMES_HOME. `scripted` uses the
 * test agent of scripted-agent.mjs; `real` runs `hermes daemon run` (the product's agent).
 */
export async function startTestDaemon(
  opts: { home?: string; agent?: 'scripted' | 'real'; env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<TestDaemon> {
  const home = opts.home ?? (await tempHome());
  const args = opts.agent === 'real' ? [CLI, 'daemon', 'run', '--home', home] : [TEST_DAEMON, '--home', home];
  const before = await readFile(path.join(home, 'daemon.json'), 'utf8')
    .then((t) => DaemonState.parse(JSON.parse(t)).pid)
    .catch(() => undefined);
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, HERMES_HOME: home, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout!.resume();
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const state = await Promise.race([
    waitForState(home, before, opts.startTimeoutMs),
    exited.then(() => {
      throw new Error(`daemon exited early: ${stderr}`);
    }),
  ]);
  return {
    home,
    state,
    proc,
    logs: () => stderr,
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        await exited;
      }
    },
  };
}

export async function removeHome(home: string): Promise<void> {
  await rm(home, { recursive: true, force: true });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A raw HTTP request with full control of the headers (Host, Origin, Content-Type). */
export function rawRequest(
  state: DaemonState,
  method: string,
  urlPath: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; token?: string | null } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${state.port}`, ...opts.headers };
    const token = opts.token === undefined ? state.token : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const req = http.request({ host: '127.0.0.1', port: state.port, method, path: urlPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const api = {
  createSession: async (state: DaemonState, body: object = {}) =>
    (await rawRequest(state, 'POST', '/v1/sessions', { body: JSON.stringify(body) })).json().session as { id: string },
  post: async (state: DaemonState, id: string, text: string, extra: object = {}) =>
    rawRequest(state, 'POST', `/v1/sessions/${id}/messages`, { body: JSON.stringify({ text, ...extra }) }),
  get: async (state: DaemonState, id: string) => (await rawRequest(state, 'GET', `/v1/sessions/${id}`)).json(),
  answer: async (state: DaemonState, id: string, approvalId: string, decision: string, by = 'test') => {
    const r = await rawRequest(state, 'POST', `/v1/sessions/${id}/approvals/${approvalId}`, { body: JSON.stringify({ decision, by }) });
    if (r.status !== 200) throw new Error(`answer ${decision}: ${r.status} ${r.body}`);
  },
};

export interface SseReader {
  events: HermesEvent[];
  frames: { event?: string; id?: string; data: string }[];
  /** Resolves once an event matching `pred` has arrived. */
  until(pred: (e: HermesEvent) => boolean, timeoutMs?: number): Promise<HermesEvent>;
  close(): void;
  closed: Promise<void>;
  request: http.ClientRequest;
  response: Promise<http.IncomingMessage>;
}

/** Reads a session's SSE stream with a plain parser, recording every frame. */
export function readSse(state: DaemonState, id: string, opts: { after?: number; lastEventId?: string; pause?: boolean } = {}): SseReader {
  const events: HermesEvent[] = [];
  const frames: SseReader['frames'] = [];
  const waiters: { pred: (e: HermesEvent) => boolean; resolve: (e: HermesEvent) => void }[] = [];
  const query = opts.after !== undefined ? `?after=${opts.after}` : '';
  const headers: Record<string, string> = { host: `127.0.0.1:${state.port}`, authorization: `Bearer ${state.token}` };
  if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => (closedResolve = r));
  let buf = '';
  const req = http.request({ host: '127.0.0.1', port: state.port, path: `/v1/sessions/${id}/events${query}`, headers });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      resolve(res);
      if (opts.pause) res.pause();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let idx;
        while ((idx = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          const frame: SseReader['frames'][number] = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('data: ')) frame.data += line.slice(6);
          }
          if (!frame.data && !frame.event) continue;
          frames.push(frame);
          if (frame.id !== undefined) {
            const e = parseKnownEvent(JSON.parse(frame.data));
            if (e) {
              events.push(e);
              for (const w of waiters.slice())
                if (w.pred(e)) {
                  waiters.splice(waiters.indexOf(w), 1);
                  w.resolve(e);
                }
            }
          }
        }
      });
      res.on('close', closedResolve);
      res.on('error', closedResolve);
    });
    req.on('error', (err) => {
      reject(err);
      closedResolve();
    });
  });
  req.end();
  return {
    events,
    frames,
    request: req,
    response,
    closed,
    close: () => req.destroy(),
    until: (pred, timeoutMs = 10_000) => {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(
                `timed out waiting for an event; got ${events.length} events, the last ${events.at(-1)?.type ?? 'none'} at seq ${events.at(-1)?.seq ?? 0}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(t);
            resolve(e);
          },
        });
      });
    },
  };
}

/** Reads a session's log file as parsed lines. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readLogFile(home: string, id: string): Promise<{ seq: number; type: string; data: any }[]> {
  const text = await readFile(path.join(home, 'sessions', `${id}.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
