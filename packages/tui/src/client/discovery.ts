import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DaemonState, HelloResponse } from '@hermes/protocol';
import { requestJson } from './http.js';

/** `--home`, then `HERMES_HOME`, then `~/.hermes` (the daemon resolves it the same way). */
export function resolveHome(explicit?: string): string {
  return path.resolve(explicit ?? process.env.HERMES_HOME ?? path.join(os.homedir(), '.hermes'));
}

export const statePath = (home: string) => path.join(home, 'daemon.json');
export const lockPath = (home: string) => path.join(home, 'daemon.lock');
export const daemonLogPath = (home: string) => path.join(home, 'logs', 'daemon.log');

export async function readState(home: string): Promise<DaemonState | null> {
  try {
    const parsed = DaemonState.safeParse(JSON.parse(await readFile(statePath(home), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Asks the daemon of a state file who it is; null unless it answers as that very process. */
export async function hello(state: DaemonState, timeoutMs = 1500): Promise<HelloResponse | null> {
  try {
    const res = await requestJson({
      port: state.port,
      method: 'GET',
      path: '/v1/hello',
      headers: { authorization: `Bearer ${state.token}` },
      timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status !== 200) return null;
    const parsed = HelloResponse.safeParse(res.json);
    return parsed.success && parsed.data.pid === state.pid ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The running daemon of a home, proven by a handshake; null when none answers. */
export async function findDaemon(home: string): Promise<{ state: DaemonState; hello: HelloResponse } | null> {
  const state = await readState(home);
  if (!state) return null;
  const h = await hello(state);
  return h ? { state, hello: h } : null;
}
