import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import type { AgentContext, InitializeRequest, InitializeResponse, McpServer, SessionInfo } from '@agentclientprotocol/sdk';
import type { GetSessionResponse } from '@hermes/protocol';
import { DaemonLink } from './daemon-link.js';
import { toRequestError } from './errors.js';
import type { AcpLog } from './log.js';
import { PermissionBridge } from './permission.js';
import { toSessionServers } from './mcp-servers.js';
import { promptText } from './prompt.js';
import { AcpSession } from './session.js';

export interface BridgeOptions {
  home: string;
  log: AcpLog;
  version: string;
}

/** What hermes offers an ACP client (the object-per-capability shape of ACP PR #279). */
export function initializeResponse(version: string): InitializeResponse {
  return {
    protocolVersion: acp.PROTOCOL_VERSION,
    agentCapabilities: {
      loadSession: true,
      // hermes messages are text: embedded files become fenced blocks; images are not taken yet.
      promptCapabilities: { image: false, audio: false, embeddedContext: true },
      // The editor's MCP servers join the session they are given for (stdio, Streamable HTTP, SSE).
      mcpCapabilities: { http: true, sse: true },
      sessionCapabilities: { list: {}, resume: {}, close: {} },
    },
    // Keys live in hermes' own config and environment; nothing to log in to.
    authMethods: [],
    agentInfo: { name: 'hermes', title: 'hermes', version },
  };
}

/** `by` on answers and withdrawals, so another terminal says who decided: `acp (zed)`. */
export function answererName(clientInfo: InitializeRequest['clientInfo']): string {
  const name = clientInfo?.name
    ?.replace(/[^\w .@-]/g, '')
    .trim()
    .slice(0, 40);
  return name ? `acp (${name})` : 'acp';
}

/**
 * `hermes acp`: an ACP agent whose sessions are the daemon's. Every method is a call to the
 * daemon's HTTP API; each session the editor opens is followed over its event stream.
 */
export class AcpBridge {
  readonly app: acp.AgentApp;
  private readonly daemon: DaemonLink;
  private readonly sessions = new Map<string, AcpSession>();
  /** This process' prompts carry requestIds starting with it: idempotent retries, no echo. */
  private readonly requestPrefix = `acp-${randomBytes(4).toString('hex')}-`;
  private editor: AgentContext | null = null;
  private connection: AbortSignal | null = null;
  private permissions: PermissionBridge | null = null;
  private notices = false;
  private by = 'acp';

  constructor(private readonly opts: BridgeOptions) {
    this.daemon = new DaemonLink(opts.home);
    this.app = acp
      .agent({ name: 'hermes' })
      .onConnect((conn) => {
        this.editor = conn.client;
        this.connection = conn.signal;
      })
      .onRequest('initialize', ({ params }) => {
        this.notices = Boolean(params.clientCapabilities?.session?.notices);
        this.by = answererName(params.clientInfo);
        opts.log.info(
          `initialize from ${params.clientInfo?.name ?? 'an unnamed client'} ${params.clientInfo?.version ?? ''} (protocol ${params.protocolVersion})`,
        );
        return initializeResponse(opts.version);
      })
      .onRequest('session/new', ({ params }) => this.guard(undefined, () => this.newSession(params.cwd, params.mcpServers)))
      .onRequest('session/load', ({ params }) => this.guard(params.sessionId, () => this.open(params.sessionId, params.mcpServers, true)))
      .onRequest('session/resume', ({ params }) =>
        this.guard(params.sessionId, () => this.open(params.sessionId, params.mcpServers ?? [], false)),
      )
      .onRequest('session/close', ({ params }) =>
        this.guard(params.sessionId, async () => {
          this.sessions.get(params.sessionId)?.close();
          this.sessions.delete(params.sessionId);
          return {};
        }),
      )
      .onRequest('session/list', ({ params }) => this.guard(undefined, () => this.list(params.cwd ?? undefined)))
      .onRequest('session/prompt', ({ params, requestId }) =>
        this.guard(params.sessionId, async () => {
          const text = promptText(params.prompt);
          const session = this.sessions.get(params.sessionId) ?? (await this.attach(params.sessionId));
          return session.prompt({ text, requestId: `${this.requestPrefix}${String(requestId)}` });
        }),
      )
      .onNotification('session/cancel', ({ params }) => {
        opts.log.info(`session/cancel ${params.sessionId}`);
        this.sessions.get(params.sessionId)?.cancel();
      });
  }

  private async guard<T>(sessionId: string | undefined, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      const e = toRequestError(err, sessionId);
      this.opts.log.warn(e.message);
      throw e;
    }
  }

  private deps() {
    if (!this.editor || !this.connection) throw new Error('not connected');
    this.permissions ??= new PermissionBridge(this.editor, () => this.daemon.get(), this.by, this.opts.log, this.connection);
    return {
      editor: this.editor,
      daemon: this.daemon,
      permissions: this.permissions,
      log: this.opts.log,
      notices: this.notices,
      ownRequestPrefix: this.requestPrefix,
      by: this.by,
    };
  }

  private track(id: string, workspace: string): AcpSession {
    this.sessions.get(id)?.close();
    const s = new AcpSession(id, workspace, this.deps());
    this.sessions.set(id, s);
    return s;
  }

  /** The editor's MCP servers as the session's own; what cannot be taken is logged. */
  private editorServers(servers: readonly McpServer[]) {
    const { servers: taken, problems } = toSessionServers(servers);
    for (const p of problems) this.opts.log.warn(p);
    return taken;
  }

  private async newSession(cwd: string, mcpServers: readonly McpServer[]) {
    if (!path.isAbsolute(cwd)) throw acp.RequestError.invalidParams({ cwd }, 'cwd must be an absolute path');
    const servers = this.editorServers(mcpServers);
    const { session } = await this.daemon.call((c) =>
      c.createSession({ workspace: cwd, ...(Object.keys(servers).length ? { mcpServers: servers } : {}) }),
    );
    if (Object.keys(servers).length)
      this.opts.log.info(`session ${session.id}: the editor's MCP servers ${Object.keys(servers).join(', ')}`);
    this.opts.log.info(`session/new ${session.id} in ${session.workspace}`);
    // From its start: a new session has only its creation to skip, and nothing can be missed.
    await this.track(session.id, session.workspace).follow(0);
    return { sessionId: session.id };
  }

  /** `session/load` (replay, then follow) and `session/resume` (follow only). */
  private async open(id: string, mcpServers: readonly McpServer[], replay: boolean) {
    const got: GetSessionResponse = await this.daemon.call((c) => c.getSession(id));
    // Given again: they replace the session's; none given keeps what the session has (the daemon keeps them).
    const servers = this.editorServers(mcpServers);
    if (Object.keys(servers).length) await this.daemon.call((c) => c.putSessionMcp(id, { servers }));
    const s = this.track(id, got.session.workspace);
    if (replay) s.replay(got.transcript.items);
    // The transcript's own seq, not the response's lastSeq: that one counts events handed a
    // seq but not yet written (nor in the transcript), and following after it would skip them.
    const at = got.transcript.lastSeq;
    this.opts.log.info(`${replay ? 'session/load' : 'session/resume'} ${id} at seq ${at}`);
    // Live events start after the answer: the replay, then the response, then what is new.
    setImmediate(() => {
      s.follow(at, got.transcript.pendingApprovals).catch((err: unknown) =>
        this.opts.log.error(`session ${id}: ${(err as Error).message}`),
      );
    });
    return {};
  }

  /** A prompt for a session this connection never opened: follow it from now on. */
  private async attach(id: string): Promise<AcpSession> {
    const got = await this.daemon.call((c) => c.getSession(id));
    const s = this.track(id, got.session.workspace);
    await s.follow(got.transcript.lastSeq, got.transcript.pendingApprovals);
    return s;
  }

  private async list(cwd: string | undefined): Promise<{ sessions: SessionInfo[] }> {
    const { sessions } = await this.daemon.call((c) => c.listSessions());
    const want = cwd ? path.resolve(cwd) : undefined;
    return {
      sessions: sessions
        .filter((s) => want === undefined || path.resolve(s.workspace) === want)
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))
        .map((s) => ({ sessionId: s.id, cwd: s.workspace, title: s.title, updatedAt: s.updatedAt })),
    };
  }

  /** The editor went away: stop following; the sessions and their runs go on in the daemon. */
  close(): void {
    this.permissions?.close();
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}
