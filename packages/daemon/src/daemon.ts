import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { DaemonState, HERMES_VERSION, PROTOCOL_VERSION } from '@hermes/protocol';
import type { Agent } from './agent/types.js';
import { addToAllowlist, loadConfig } from './config/load.js';
import { homePaths, type HomePaths } from './paths.js';
import { defaultModelOf, listModels, loadEnvFile } from './provider/index.js';
import { McpManager } from './mcp/manager.js';
import { redactServers } from './mcp/session-servers.js';
import { SandboxService, type ProbeResult } from './sandbox/index.js';
import { createDaemonServer } from './server/listen.js';
import type { StreamOptions } from './server/session-stream.js';
import { SessionManager } from './session/manager.js';
import { pruneToolOutput } from './tool-output/spill.js';
import { faultsFromEnv, StorageLayer } from './store/file-layer.js';
import type { RunEnvironment } from './session/run.js';
import { ensurePrivateDir, writeFileAtomic } from './util/fs.js';
import { stderrLogger, type Logger } from './util/log.js';
import { CheckpointService } from './checkpoint/index.js';
import { webFetchRules } from './web/test-env.js';

export const DAEMON_VERSION: string = HERMES_VERSION;

export interface DaemonOptions {
  home: string;
  port?: number;
  agent: Agent;
  log?: Logger;
  stream?: StreamOptions;
  /** The protocol version to announce; only tests of version skew set it. */
  protocol?: number;
  /** A fixed sandbox probe result instead of probing (tests of the fallback policy). */
  sandboxProbe?: ProbeResult;
}

export interface RunningDaemon {
  port: number;
  token: string;
  state: DaemonState;
  /** Resolves when the daemon has stopped (shutdown route, signal, or `stop()`). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export class DaemonAlreadyRunning extends Error {
  constructor(readonly state: DaemonState) {
    super(`a hermes daemon is already running (pid ${state.pid}, port ${state.port})`);
  }
}

/** Reads daemon.json; null when absent or unreadable. */
export async function readDaemonState(paths: HomePaths): Promise<DaemonState | null> {
  try {
    const parsed = DaemonState.safeParse(JSON.parse(await readFile(paths.state, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** True when a daemon answers on the state's port with the state's pid: a stale file proves nothing. */
export async function daemonAnswers(state: DaemonState, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${state.port}/v1/hello`, {
      headers: { authorization: `Bearer ${state.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { pid?: number };
    return body.pid === state.pid;
  } catch {
    return false;
  }
}

/**
 * Starts the daemon: loads every session (closing runs a crash left open), listens on
 * 127.0.0.1, then publishes daemon.json (0600) with the port and a fresh token. On stop it
 * ends runs as interrupted, flushes every log and removes daemon.json.
 */
export async function startDaemon(o: DaemonOptions): Promise<RunningDaemon> {
  const log = o.log ?? stderrLogger;
  const paths = homePaths(o.home);
  await ensurePrivateDir(paths.home);
  await ensurePrivateDir(paths.logs);
  const existing = await readDaemonState(paths);
  if (existing && existing.pid !== process.pid && (await daemonAnswers(existing))) throw new DaemonAlreadyRunning(existing);

  const token = randomBytes(32).toString('base64url');
  /** The port the daemon listens on, once it does: web_fetch never fetches it. */
  const listening: { port?: number } = {};
  // Probed once per start, by running a real command in it.
  const sandbox = await SandboxService.start(paths.home, o.sandboxProbe);
  const mcp = new McpManager(paths.home, paths.logs, (config, program, workspace, sessionId) =>
    sandbox.wrapProgram(config, sessionId, workspace, program),
  );
  const env: RunEnvironment = {
    home: paths.home,
    loadConfig: () => loadConfig(paths.config),
    loadEnv: async () => {
      // Keys in HERMES_HOME/.env fill in what the environment does not set.
      const fromFile = await loadEnvFile(paths.home).catch(() => ({}));
      return { ...fromFile, ...process.env };
    },
    addToAllowlist: (pattern) => addToAllowlist(paths.config, pattern),
    secrets: async () => [token, ...Object.values(await loadEnvFile(paths.home).catch(() => ({})))],
    sandbox,
    mcp,
    web: () => webFetchRules(process.env, listening.port),
  };
  await ensurePrivateDir(paths.sessionState);
  const storage = new StorageLayer(paths.sessionState, faultsFromEnv(process.env));
  // In the background: a slow disk must not hold up the start (the reserve is a safety margin).
  void storage.ensureReserve();
  const maxLoadedSessions = await loadConfig(paths.config)
    .then((c) => c.daemon?.maxLoadedSessions)
    .catch(() => undefined);
  const manager = new SessionManager(paths.sessions, o.agent, env, log, {
    storage,
    stateDir: paths.sessionState,
    ...(maxLoadedSessions ? { maxLoadedSessions } : {}),
  });
  await manager.loadAll();
  const checkpoints = new CheckpointService({
    home: paths.home,
    loadConfig: env.loadConfig,
    sessionExists: (id) => manager.has(id),
    idle: () => manager.activeRunCount === 0,
    log,
  });
  checkpoints.start();
  // Saved long tool outputs go after 7 days; in the background, never in the way of the start.
  void pruneToolOutput(paths.home).catch(() => undefined);
  const sandboxStatus = sandbox.status(await loadConfig(paths.config).catch(() => ({})));
  log(
    'info',
    sandboxStatus.active
      ? `sandbox: ${sandboxStatus.kind} ${sandboxStatus.version ?? ''}`.trim()
      : `sandbox: inactive (${sandboxStatus.reason ?? 'off'})`,
  );

  const startedAt = new Date().toISOString();
  let stopping: Promise<void> | null = null;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log('info', 'daemon stopping');
      http.server.close();
      checkpoints.stop();
      await manager.shutdown();
      await mcp.shutdown();
      http.server.closeAllConnections();
      const current = await readDaemonState(paths);
      if (current?.pid === process.pid && current.token === token) await rm(paths.state, { force: true });
      log('info', 'daemon stopped');
      markStopped();
    })();
    return stopping;
  };

  const http = createDaemonServer({
    manager,
    token,
    version: DAEMON_VERSION,
    startedAt,
    log,
    protocol: o.protocol ?? PROTOCOL_VERSION,
    onShutdown: () => void stop(),
    sandboxStatus: async () => sandbox.status(await env.loadConfig()),
    mcpStatus: async () => ({ servers: mcp.status(await env.loadConfig()) }),
    onMcpStatus: (listener) => mcp.onStatus(listener),
    sessionMcp: {
      get: (id) => mcp.sources.sessions.get(id),
      set: (id, servers) => mcp.sources.sessions.set(id, servers),
      remove: async (id) => {
        await mcp.sources.sessions.remove(id);
        await mcp.closeSession(id);
      },
      redact: redactServers,
    },
    health: () => ({ storage: storage.health(), sessions: manager.counts() }),
    defaultModel: async () => {
      const [config, runEnv] = await Promise.all([env.loadConfig(), env.loadEnv()]);
      return defaultModelOf(config, runEnv);
    },
    listModels: async () => {
      const [config, runEnv] = await Promise.all([env.loadConfig(), env.loadEnv()]);
      // Most recently used first: the sessions' models are what the user picks between.
      const recent = manager.list().sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
      return listModels({ config, env: runEnv, sessionModels: recent.flatMap((s) => (s.model ? [s.model] : [])) });
    },
    ...(o.stream ? { stream: o.stream } : {}),
    checkpoints,
    home: paths.home,
  });
  const port = await http.listen(o.port ?? 0);
  listening.port = port;
  const state: DaemonState = {
    pid: process.pid,
    port,
    token,
    version: DAEMON_VERSION,
    protocol: o.protocol ?? PROTOCOL_VERSION,
    startedAt,
  };
  await writeFileAtomic(paths.state, JSON.stringify(state, null, 2) + '\n', 0o600);
  log('info', 'daemon listening', { port, pid: process.pid, version: DAEMON_VERSION, home: paths.home, sessions: manager.list().length });
  return { port, token, state, stopped, stop };
}
