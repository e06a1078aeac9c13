import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PROTOCOL_VERSION, type DaemonState } from '@hermes/protocol';
import { cliEntry } from './cli-entry.js';
import { daemonLogPath, findDaemon, lockPath } from './discovery.js';
import { DaemonUnavailableError } from './errors.js';

const START_TIMEOUT_MS = 10_000;
const STALE_LOCK_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `daemon.lock` (O_EXCL), clearing a stale one; null while another client holds it. */
async function tryLock(file: string): Promise<(() => Promise<void>) | null> {
  try {
    const fh = await open(file, 'wx', 0o600);
    await fh.writeFile(`${process.pid}\n`);
    await fh.close();
    return () => rm(file, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  try {
    const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')]);
    const pid = Number(text.trim());
    if (Date.now() - info.mtimeMs > STALE_LOCK_MS || !Number.isInteger(pid) || !pidAlive(pid)) {
      await rm(file, { force: true });
    }
  } catch {
    // The holder just released it; the next attempt will tell.
  }
  return null;
}

/** The command that runs the daemon in the foreground: this very CLI, `daemon run`. */
function daemonCommand(home: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [cliEntry(), 'daemon', 'run', '--home', home] };
}

/** Spawns a detached daemon whose output goes to logs/daemon.log. */
export async function spawnDaemon(home: string): Promise<void> {
  const logFile = daemonLogPath(home);
  await mkdir(path.dirname(logFile), { recursive: true, mode: 0o700 });
  const log = await open(logFile, 'a', 0o600);
  const { command, args } = daemonCommand(home);
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: { ...process.env, HERMES_HOME: home },
  });
  child.unref();
  await log.close();
}

async function waitForDaemon(home: string, deadline: number): Promise<DaemonState | null> {
  while (Date.now() < deadline) {
    const found = await findDaemon(home);
    if (found) return found.state;
    await sleep(50);
  }
  return null;
}

export interface EnsureOptions {
  /** Start one when none answers (every client command does; `daemon status` does not). */
  autoStart?: boolean;
}

/**
 * Finds the running daemon, or starts one. Two clients racing both take turns on the lock:
 * the loser finds the winner's daemon when it gets the lock, and never spawns a second.
 */
export async function ensureDaemon(home: string, opts: EnsureOptions = {}): Promise<DaemonState> {
  const found = await findDaemon(home);
  if (found) return checkProtocol(home, found.state);
  if (opts.autoStart === false) {
    throw new DaemonUnavailableError('the hermes daemon is not running', 'start it with `hermes daemon start`');
  }
  try {
    return await startOrFind(home);
  } catch (err) {
    if (err instanceof DaemonUnavailableError) throw err;
    // The home is unusable (a file, no permission, a full disk): that is "cannot start" too (exit 4).
    throw new DaemonUnavailableError(
      `cannot start the hermes daemon in ${home}: ${(err as Error).message}`,
      'check that HERMES_HOME (or --home) is a writable folder',
    );
  }
}

async function startOrFind(home: string): Promise<DaemonState> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const release = await tryLock(lockPath(home));
    if (!release) {
      await sleep(50);
      const other = await findDaemon(home);
      if (other) return other.state;
      continue;
    }
    try {
      const again = await findDaemon(home);
      if (again) return again.state;
      await spawnDaemon(home);
      const state = await waitForDaemon(home, deadline);
      if (state) return state;
    } finally {
      await release();
    }
  }
  throw new DaemonUnavailableError(
    `the hermes daemon did not start within ${START_TIMEOUT_MS / 1000} s`,
    `see ${daemonLogPath(home)}, or run \`hermes daemon run\` to see it fail in the foreground`,
  );
}

/**
 * A daemon speaking another protocol version is restarted when idle; a busy one is left
 * alone with a clear message, since restarting would interrupt its runs.
 */
async function checkProtocol(home: string, state: DaemonState): Promise<DaemonState> {
  if (state.protocol === PROTOCOL_VERSION) return state;
  const { DaemonClient } = await import('./api.js');
  const client = new DaemonClient(state);
  const { sessions } = await client.listSessions();
  const busy = sessions.filter((s) => s.status !== 'idle').length;
  if (busy > 0) {
    throw new DaemonUnavailableError(
      `the running daemon speaks protocol ${state.protocol}, this client ${PROTOCOL_VERSION}, and it is busy with ${busy} run(s)`,
      'let the runs finish, or run `hermes daemon restart --force` (runs end as interrupted)',
    );
  }
  process.stderr.write(`hermes: restarting the daemon (protocol ${state.protocol} → ${PROTOCOL_VERSION})\n`);
  await client.shutdown().catch(() => {});
  await waitForExit(state.pid, 5000);
  return ensureDaemon(home);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await sleep(50);
  }
  return !pidAlive(pid);
}
