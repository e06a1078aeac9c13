import { createHash } from 'node:crypto';
import path from 'node:path';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { HermesConfig, McpScope, McpServerConfig, McpServerStatus } from '@hermes/protocol';
import { toolEnvironment } from '../agent/tool-env.js';
import type { Tool } from '../tool/types.js';
import { markedSpawn } from '../tool/processes.js';
import { McpConnection, type Launch } from './connection.js';
import { expandRecord, expandVars } from './expand.js';
import { StderrLog } from './stderr-log.js';
import { toolsOf } from './tools.js';
import { ServerSources, type RunIo, type ServerSpec } from './sources.js';

/** How a stdio server is wrapped in the sandbox (the daemon's `SandboxService`), or null. */
export type SandboxWrap = (
  config: HermesConfig,
  program: { command: string; args: string[]; env: Record<string, string>; cwd?: string },
  workspace: string,
  sessionId: string,
) => Promise<{ command: string; args: string[]; env: Record<string, string> } | { error: string } | null>;

export const DEFAULT_STARTUP_WAIT_MS = 3000;
const IDLE_STOP_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 60_000;

interface Entry {
  key: string;
  name: string;
  scope: McpScope;
  sessionId: string | undefined;
  workspace: string | undefined;
  fingerprint: string;
  trust: 'ask' | 'readOnly' | 'all';
  connection: McpConnection;
  failures: number;
  failedAt: number;
}

/** What one run sees of MCP: the tools of the ready servers, re-read at every request. */
export interface RunMcp {
  tools(): Tool[];
  /**
   * Finds the run's servers (asking about a workspace's `.mcp.json` first when needed: that
   * wait is the user's), starts them, then waits at most `ms` for those still starting;
   * returns the names of those not ready yet.
   */
  settle(ms: number): Promise<string[]>;
}

export interface RunRequest {
  config: HermesConfig;
  env: Readonly<Record<string, string | undefined>>;
  workspace: string;
  sessionId: string;
  io: RunIo;
}

function fingerprint(config: McpServerConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

/**
 * The daemon's MCP servers. stdio servers run once per (server, workspace), with the workspace
 * as their folder; HTTP servers once per name. Started in the background when a run needs them;
 * a run never waits longer than `mcp.startupWaitMs`. A failed server is started again on a later
 * run after a backoff; idle ones stop after ten minutes; shutdown closes all.
 */
export class McpManager {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(s: McpServerStatus) => void>();
  private readonly idleTimer: NodeJS.Timeout;

  /** The config of the latest run: which servers stay unsandboxed, and how the sandbox is set. */
  private runConfig: HermesConfig = {};

  /** The project files, their approvals, and each session's own servers. */
  readonly sources: ServerSources;

  constructor(
    home: string,
    private readonly logsDir: string,
    private readonly sandbox: SandboxWrap | null,
  ) {
    this.sources = new ServerSources(home);
    this.idleTimer = setInterval(() => this.stopIdle(), 60_000);
    this.idleTimer.unref();
  }

  onStatus(listener: (s: McpServerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(config?: HermesConfig): McpServerStatus[] {
    const out = [...this.entries.values()].map((e) => this.statusOf(e));
    for (const [name, c] of Object.entries(config?.mcp?.servers ?? {})) {
      if (c.enabled === false) out.push({ name, status: 'disabled', tools: [], schemaTokens: 0 });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private statusOf(e: Entry): McpServerStatus {
    const tools = toolsOf([{ connection: e.connection, trust: e.trust }]);
    const schemaTokens = Math.ceil(
      tools.reduce((n, t) => n + JSON.stringify(t.parameters).length + t.name.length + t.description.length, 0) / 4,
    );
    return {
      name: e.name,
      ...(e.workspace ? { workspace: e.workspace } : {}),
      ...(e.scope !== 'user' ? { scope: e.scope } : {}),
      ...(e.sessionId ? { sessionId: e.sessionId } : {}),
      status: e.connection.status,
      ...(e.connection.error ? { error: e.connection.error } : {}),
      tools: tools.map((t) => ({ name: t.name, description: t.description })),
      schemaTokens,
    };
  }

  private changed(e: Entry): void {
    if (e.connection.status === 'failed') {
      e.failures++;
      e.failedAt = Date.now();
    } else if (e.connection.status === 'ready') e.failures = 0;
    const s = this.statusOf(e);
    for (const l of this.listeners) l(s);
  }

  /** The servers a run can use, found and started (or restarted) as needed when it settles. */
  forRun(run: RunRequest): RunMcp {
    let wanted: Entry[] = [];
    return {
      tools: () => toolsOf(wanted.map((e) => ({ connection: e.connection, trust: e.trust }))),
      settle: async (ms) => {
        const specs = await this.sources.forRun(run, run.io);
        this.runConfig = run.config;
        wanted = specs.filter((s) => s.config.enabled !== false).map((s) => this.entryFor(s, run));
        const starting = wanted.filter((e) => e.connection.status === 'starting');
        if (starting.length && ms > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([Promise.all(starting.map((e) => e.connection.ready)), new Promise((r) => (timer = setTimeout(r, ms)))]);
          clearTimeout(timer);
        }
        return wanted.filter((e) => e.connection.status === 'starting').map((e) => e.name);
      },
    };
  }

  /**
   * One server's entry: stdio servers of the user's config run per workspace, HTTP ones once;
   * a project's servers per workspace; a session's own per session.
   */
  private entryFor(spec: ServerSpec, run: RunRequest): Entry {
    const { name, config: server, scope } = spec;
    const stdio = server.command !== undefined && server.type !== 'http' && server.type !== 'sse';
    const workspace = stdio || scope === 'project' ? run.workspace : undefined;
    const sessionId = scope === 'session' ? run.sessionId : undefined;
    const key = [scope, name, scope === 'session' ? run.sessionId : (workspace ?? '')].join('\u0000');
    const fp = fingerprint(server);
    let e = this.entries.get(key);
    const backoff = e ? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, e.failures - 1)) : 0;
    if (e && (e.fingerprint !== fp || (e.connection.status === 'failed' && Date.now() - e.failedAt >= backoff))) {
      void e.connection.close();
      this.entries.delete(key);
      const next: Entry = { ...e, fingerprint: fp, trust: server.trust ?? 'ask' };
      next.connection = this.connect(spec, workspace, run, () => this.changed(next));
      e = next;
      this.entries.set(key, e);
    }
    if (!e) {
      const entry: Entry = {
        key,
        name,
        scope,
        sessionId,
        workspace,
        fingerprint: fp,
        trust: server.trust ?? 'ask',
        failures: 0,
        failedAt: 0,
        connection: null as unknown as McpConnection,
      };
      entry.connection = this.connect(spec, workspace, run, () => this.changed(entry));
      e = entry;
      this.entries.set(key, e);
      const s = this.statusOf(e);
      for (const l of this.listeners) l(s);
    }
    e.connection.lastUsed = Date.now();
    return e;
  }

  private connect(spec: ServerSpec, workspace: string | undefined, run: RunRequest, onChange: () => void): McpConnection {
    const { name, config: server, scope } = spec;
    const sessionId = run.sessionId;
    const log = new StderrLog(path.join(this.logsDir, scope === 'user' ? `mcp-${name}.log` : `mcp-${scope}-${name}.log`));
    const missing = new Set<string>();
    // `${VAR}` comes from the environment; a project file's never reaches the provider keys;
    // a session's settings (an editor's) are taken as given.
    const env = scope === 'project' ? toolEnvironment(run.env, run.config) : run.env;
    const expand = (t: string) => (scope === 'session' ? t : expandVars(t, env, missing));
    const expandAll = (r: Readonly<Record<string, string>> | undefined) => (scope === 'session' ? { ...r } : expandRecord(r, env, missing));
    const headers = expandAll(server.headers);
    if (!server.command) return new McpConnection(name, server, null, headers, log, onChange);
    // Never the daemon's environment (keys, the token): the SDK's short default list, then what the user set.
    const programEnv = { ...getDefaultEnvironment(), ...expandAll(server.env) };
    const command = expand(server.command);
    const args = (server.args ?? []).map(expand);
    const cwd = server.cwd ? path.resolve(workspace ?? '.', expand(server.cwd)) : workspace;
    const config = this.runConfig;
    // A repository cannot name its way out of the sandbox: the list is for the user's own servers.
    const unsandboxed = scope !== 'project' && (config.sandbox?.mcpUnsandboxed ?? []).includes(name);
    const launch = async (): Promise<Launch> => {
      let program: Launch = { command, args, env: programEnv, ...(cwd ? { cwd } : {}) };
      if (missing.size) log.write(Buffer.from(`hermes: unset variables in the server's settings: ${[...missing].join(', ')}\n`));
      if (this.sandbox && workspace && !unsandboxed) {
        const wrapped = await this.sandbox(config, program, workspace, sessionId);
        if (wrapped && 'error' in wrapped) throw new Error(wrapped.error);
        if (wrapped) program = { ...program, ...wrapped };
      }
      const marked = markedSpawn(program.command, program.args);
      return { ...program, command: marked.file, args: marked.args };
    };
    return new McpConnection(name, server, launch, headers, log, onChange);
  }

  /** A deleted session's own servers stop now, not when idle. */
  async closeSession(sessionId: string): Promise<void> {
    const gone = [...this.entries.values()].filter((e) => e.sessionId === sessionId);
    for (const e of gone) this.entries.delete(e.key);
    await Promise.all(gone.map((e) => e.connection.close()));
  }

  private stopIdle(): void {
    const now = Date.now();
    for (const [key, e] of this.entries) {
      if (now - e.connection.lastUsed > IDLE_STOP_MS) {
        void e.connection.close();
        this.entries.delete(key);
      }
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.idleTimer);
    await Promise.all([...this.entries.values()].map((e) => e.connection.close()));
    this.entries.clear();
  }
}
