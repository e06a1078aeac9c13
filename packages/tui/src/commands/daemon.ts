import { open, readFile, stat } from 'node:fs/promises';
import type { SessionSummary, StorageHealth } from '@hermes/protocol';
import { createAgent, DaemonAlreadyRunning, startDaemon } from '@hermes/daemon';
import { ensureDaemon, waitForExit } from '../client/autostart.js';
import { DaemonClient } from '../client/api.js';
import { daemonLogPath, findDaemon, resolveHome } from '../client/discovery.js';
import { DaemonUnavailableError } from '../client/errors.js';
import { sandboxLine } from '../format/sandbox.js';

/** `hermes daemon run`: the daemon in this process, until SIGTERM/SIGINT or POST /v1/shutdown. */
export async function daemonRun(homeOpt: string | undefined, port: number | undefined): Promise<number> {
  const home = resolveHome(homeOpt);
  try {
    const daemon = await startDaemon({ home, ...(port !== undefined ? { port } : {}), agent: createAgent() });
    const onSignal = () => void daemon.stop();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    await daemon.stopped;
    // Nothing may keep a stopped daemon alive (a straggling socket or timer).
    process.exit(0);
  } catch (err) {
    if (err instanceof DaemonAlreadyRunning) {
      process.stderr.write(`hermes: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

export async function daemonStart(homeOpt: string | undefined): Promise<number> {
  const home = resolveHome(homeOpt);
  const before = await findDaemon(home);
  const state = await ensureDaemon(home);
  process.stdout.write(
    before
      ? `hermes daemon already running (pid ${state.pid}, port ${state.port})\n`
      : `hermes daemon started (pid ${state.pid}, port ${state.port})\n`,
  );
  return 0;
}

async function stopDaemon(home: string): Promise<boolean> {
  const found = await findDaemon(home);
  if (!found) return false;
  await new DaemonClient(found.state).shutdown().catch(() => {});
  if (!(await waitForExit(found.state.pid, 5000))) {
    // It would not go quietly: SIGTERM does the same orderly stop; SIGKILL as a last resort.
    process.kill(found.state.pid, 'SIGTERM');
    if (!(await waitForExit(found.state.pid, 3000))) process.kill(found.state.pid, 'SIGKILL');
  }
  return true;
}

/** The sessions with a run in progress (or waiting for an approval) in the daemon of `home`. */
async function busySessions(home: string): Promise<SessionSummary[]> {
  const found = await findDaemon(home);
  if (!found) return [];
  const { sessions } = await new DaemonClient(found.state).listSessions();
  return sessions.filter((s) => s.status !== 'idle');
}

const runsOf = (busy: SessionSummary[]) =>
  busy
    .slice(0, 5)
    .map((s) => `  ${s.id}  ${s.title}`)
    .join('\n') + (busy.length > 5 ? `\n  … and ${busy.length - 5} more` : '');

/**
 * `daemon stop` and `daemon restart` alike: while runs are in progress they refuse without
 * --force, naming the runs; with --force they say which runs they interrupted.
 */
async function guardBusy(home: string, verb: 'stop' | 'restart', force: boolean): Promise<{ proceed: boolean; busy: SessionSummary[] }> {
  const busy = await busySessions(home);
  if (busy.length > 0 && !force) {
    const one = busy.length === 1;
    process.stderr.write(
      `hermes: the daemon has ${one ? '1 run' : `${busy.length} runs`} in progress:\n${runsOf(busy)}\n` +
        `  hermes daemon ${verb} --force   ${verb}s anyway: ${one ? 'the run ends' : 'the runs end'} as interrupted (a new message continues the session)\n` +
        `  hermes sessions cancel <id>     stops one run first\n`,
    );
    return { proceed: false, busy };
  }
  return { proceed: true, busy };
}

function noteInterrupted(busy: SessionSummary[]): void {
  if (busy.length === 0) return;
  process.stderr.write(`interrupted ${busy.length === 1 ? '1 run' : `${busy.length} runs`}:\n${runsOf(busy)}\n`);
}

export async function daemonStop(homeOpt: string | undefined, force = false): Promise<number> {
  const home = resolveHome(homeOpt);
  const { proceed, busy } = await guardBusy(home, 'stop', force);
  if (!proceed) return 1;
  const stopped = await stopDaemon(home);
  process.stdout.write(stopped ? 'hermes daemon stopped\n' : 'hermes daemon is not running\n');
  if (stopped) noteInterrupted(busy);
  return 0;
}

export async function daemonStatus(homeOpt: string | undefined, json: boolean): Promise<number> {
  const home = resolveHome(homeOpt);
  const found = await findDaemon(home);
  if (!found) {
    if (json) process.stdout.write(JSON.stringify({ running: false, home }) + '\n');
    else process.stdout.write(`hermes daemon is not running (home ${home})\n`);
    return 3;
  }
  const client = new DaemonClient(found.state);
  const [{ total, active, storage }, sandbox] = await Promise.all([daemonCounts(client), client.sandboxStatus().catch(() => null)]);
  const { state } = found;
  if (json) {
    const { token: _token, ...rest } = state;
    process.stdout.write(
      JSON.stringify({
        running: true,
        home,
        ...rest,
        sessions: total,
        active,
        ...(sandbox ? { sandbox } : {}),
        ...(storage ? { storage } : {}),
      }) + '\n',
    );
    return 0;
  }
  process.stdout.write(
    [
      `hermes daemon is running`,
      `  pid       ${state.pid}`,
      `  address   http://127.0.0.1:${state.port}`,
      `  version   ${state.version} (protocol ${state.protocol})`,
      `  started   ${state.startedAt}`,
      `  home      ${home}`,
      `  sessions  ${total} (${active} active)`,
      ...(sandbox ? [`  sandbox   ${sandboxLine(sandbox)}`] : []),
      ...(storage && !storage.ok
        ? [`  storage   FAILING (${storage.code ?? 'error'} since ${storage.since ?? '?'}): ${storage.message ?? ''}`]
        : []),
      '',
    ].join('\n'),
  );
  return 0;
}

/** Session counts and storage health from `/v1/hello`; an older daemon without them: from the list. */
async function daemonCounts(client: DaemonClient): Promise<{ total: number; active: number; storage?: StorageHealth }> {
  const hello = await client.hello();
  if (hello.sessions)
    return { total: hello.sessions.total, active: hello.sessions.active, ...(hello.storage ? { storage: hello.storage } : {}) };
  const { sessions } = await client.listSessions();
  return { total: sessions.length, active: sessions.filter((s) => s.status !== 'idle').length };
}

export async function daemonRestart(homeOpt: string | undefined, force: boolean): Promise<number> {
  const home = resolveHome(homeOpt);
  const { proceed, busy } = await guardBusy(home, 'restart', force);
  if (!proceed) return 1;
  await stopDaemon(home);
  const state = await ensureDaemon(home);
  process.stdout.write(`hermes daemon restarted (pid ${state.pid}, port ${state.port})\n`);
  noteInterrupted(busy);
  return 0;
}

/** The last `n` lines of a log, each ending in a newline; none for n = 0 (`-n 0 -f`: only new lines). */
export function lastLines(text: string, n: number): string {
  if (n <= 0) return '';
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  const tail = all.slice(-n);
  return tail.length ? `${tail.join('\n')}\n` : '';
}

export async function daemonLogs(homeOpt: string | undefined, lines: number, follow: boolean): Promise<number> {
  const file = daemonLogPath(resolveHome(homeOpt));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    process.stderr.write(`hermes: no daemon log yet at ${file}\n`);
    return 1;
  }
  const shown = lastLines(text, lines);
  if (shown) process.stdout.write(shown);
  if (!follow) return 0;
  let offset = (await stat(file)).size;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const size = (await stat(file).catch(() => ({ size: offset }))).size;
    if (size < offset) offset = 0;
    if (size === offset) continue;
    const fh = await open(file, 'r');
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    await fh.close();
    offset = size;
    process.stdout.write(buf);
  }
}

export { DaemonUnavailableError };
