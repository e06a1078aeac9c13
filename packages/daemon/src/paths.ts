import os from 'node:os';
import path from 'node:path';

/** Where everything hermes keeps lives: `--home`, then `HERMES_HOME`, then `~/.hermes`. */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = explicit ?? env.HERMES_HOME ?? path.join(os.homedir(), '.hermes');
  return path.resolve(raw);
}

export interface HomePaths {
  home: string;
  sessions: string;
  /** The session index, run markers and the disk reserve: `sessions/.state`. */
  sessionState: string;
  logs: string;
  daemonLog: string;
  state: string;
  lock: string;
  config: string;
  envFile: string;
  history: string;
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    sessions: path.join(home, 'sessions'),
    sessionState: path.join(home, 'sessions', '.state'),
    logs: path.join(home, 'logs'),
    daemonLog: path.join(home, 'logs', 'daemon.log'),
    state: path.join(home, 'daemon.json'),
    lock: path.join(home, 'daemon.lock'),
    config: path.join(home, 'config.json'),
    envFile: path.join(home, '.env'),
    history: path.join(home, 'input_history'),
  };
}
