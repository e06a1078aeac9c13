import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AnswerApprovalRequest,
  ClarifyRequest,
  CLIENT_PID_HEADER,
  CompactRequest,
  CreateSessionRequest,
  isSessionId,
  PatchSessionRequest,
  PostMessageRequest,
  PutSessionMcpRequest,
  type GetSessionResponse,
  type McpServerConfig,
  type SessionMcpResponse,
  type HelloResponse,
  type ListSessionsResponse,
  type ModelListing,
  type McpServerStatus,
  type McpStatusResponse,
  type SandboxStatus,
  type WithdrawMessageResponse,
} from '@hermes/protocol';
import * as z from 'zod';
import type { ManagerError, SessionManager } from '../session/manager.js';
import { parseListQuery } from '../session/list-query.js';
import type { Logger } from '../util/log.js';
import { peerOf } from './peer.js';
import { HttpError, readJson, sendError, sendJson } from './respond.js';
import { searchRoute } from './search-route.js';
import { checkpointRoutes } from './checkpoint-routes.js';
import type { CheckpointService } from '../checkpoint/index.js';
import { streamList, streamSession, type StreamOptions } from './session-stream.js';

export interface ServerOptions {
  manager: SessionManager;
  token: string;
  version: string;
  startedAt: string;
  protocol: number;
  log: Logger;
  onShutdown: () => void;
  /** Storage health and session counts, for `/v1/hello`. */
  health?: () => Pick<HelloResponse, 'storage' | 'sessions'>;
  /** The model a session without its own uses now (answered with the session routes). */
  defaultModel?: () => Promise<string | null>;
  /** What a model picker can offer (config, sessions, the providers' own lists). */
  listModels: () => Promise<ModelListing>;
  /** Where terminal commands run (`GET /v1/sandbox`). */
  sandboxStatus: () => Promise<SandboxStatus>;
  /** `GET /v1/mcp`, and `mcp.status` on `/v1/events`. */
  mcpStatus?: () => Promise<McpStatusResponse>;
  onMcpStatus?: (listener: (s: McpServerStatus) => void) => () => void;
  /** Each session's own MCP servers (`mcpServers` at creation, `GET|PUT /v1/sessions/:id/mcp`). */
  sessionMcp?: SessionMcpStore;
  stream?: StreamOptions;
  /** `GET /v1/checkpoints`, `POST /v1/checkpoints/prune`. */
  checkpoints?: CheckpointService;
  /** HERMES_HOME: where the checkpoint stores are (for diffs). */
  home?: string;
}

export interface SessionMcpStore {
  get(id: string): Promise<Record<string, McpServerConfig>>;
  set(id: string, servers: Record<string, McpServerConfig>): Promise<void>;
  remove(id: string): Promise<void>;
  /** What the API shows: `env` and `headers` values withheld. */
  redact(servers: Record<string, McpServerConfig>): Record<string, McpServerConfig>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => Promise<void> | void;
export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** Bodyless POSTs still send `{}` with the JSON content type: the CSRF check applies to them too. */
const emptyBody = z.object({});

const STATUS_OF: Record<ManagerError['code'], number> = { not_found: 404, conflict: 409, bad_request: 400 };

function managerError(res: ServerResponse, error: ManagerError): void {
  sendError(res, STATUS_OF[error.code], error.code, error.message);
}

/** Session ids are checked against their pattern before anything else sees them: never a path. */
/** Message ids are made by the daemon (`msg_` and base64url); anything else is a client's mistake. */
const MESSAGE_ID = /^msg_[A-Za-z0-9_-]{1,64}$/;

function sessionIdParam(raw: string): string {
  const id = decodeURIComponent(raw);
  if (!isSessionId(id)) throw new HttpError(400, 'invalid_id', `not a session id: ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

export function buildRoutes(o: ServerOptions): Route[] {
  const m = o.manager;
  const session = async (raw: string) => {
    const id = sessionIdParam(raw);
    const s = await m.open(id);
    if (!s) throw new HttpError(404, 'not_found', `no session ${id}`);
    return s;
  };
  // A config that does not load (being edited, invalid) leaves the field out rather than failing the route.
  const defaultModel = async (): Promise<{ defaultModel?: string | null }> => {
    if (!o.defaultModel) return {};
    try {
      return { defaultModel: await o.defaultModel() };
    } catch {
      return {};
    }
  };
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/hello$/,
      handler: (_req, res) => {
        const body: HelloResponse = { protocol: o.protocol, version: o.version, pid: process.pid, startedAt: o.startedAt, ...o.health?.() };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/mcp$/,
      handler: async (_req, res) => sendJson(res, 200, o.mcpStatus ? await o.mcpStatus() : { servers: [] }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sandbox$/,
      handler: async (_req, res) => sendJson(res, 200, await o.sandboxStatus()),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/models$/,
      handler: async (_req, res) => sendJson(res, 200, await o.listModels()),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sessions$/,
      handler: async (_req, res, url) => {
        const parsed = parseListQuery(url.searchParams);
        if (!parsed.ok) throw new HttpError(400, 'bad_request', parsed.message);
        const list: ListSessionsResponse = parsed.query ? m.listPage(parsed.query) : { sessions: m.list() };
        const body: ListSessionsResponse = { ...list, ...(await defaultModel()) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/search$/,
      handler: (req, res, url) => searchRoute(res, url, m),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions$/,
      handler: async (req, res) => {
        const body = await readJson(req, CreateSessionRequest);
        const servers = body.mcpServers ?? {};
        if (Object.keys(servers).length && !o.sessionMcp)
          throw new HttpError(400, 'bad_request', 'this daemon takes no MCP servers per session');
        const r = await m.create(body);
        if (!r.ok) return managerError(res, r.error);
        if (Object.keys(servers).length) {
          try {
            await o.sessionMcp!.set(r.value.id, servers);
          } catch (err) {
            // Not half-made: a session without the servers it was created with is removed again.
            await m.delete(r.value.id);
            throw err;
          }
        }
        sendJson(res, 201, { session: r.value });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sessions\/([^/]+)$/,
      handler: async (_req, res, _url, [id]) => {
        const s = await session(id!);
        const t = s.transcript;
        const body: GetSessionResponse = {
          session: s.summary(),
          transcript: t,
          // The transcript's own: events with a seq but not yet written are in neither it nor a replay after it.
          lastSeq: t.lastSeq,
          activeRunId: t.activeRunId,
          pendingApprovals: t.pendingApprovals,
          pendingClarifications: t.pendingClarifications ?? [],
          queued: t.queued,
          ...(await defaultModel()),
        };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/v1\/sessions\/([^/]+)$/,
      handler: async (req, res, _url, [id]) => {
        const sid = sessionIdParam(id!);
        const body = await readJson(req, PatchSessionRequest);
        const r = await m.patch(sid, body);
        if (!r.ok) return managerError(res, r.error);
        sendJson(res, 200, { session: r.value });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/sessions\/([^/]+)$/,
      handler: async (_req, res, _url, [id]) => {
        const sid = sessionIdParam(id!);
        const r = await m.delete(sid);
        if (!r.ok) return managerError(res, r.error);
        await o.sessionMcp?.remove(sid);
        sendJson(res, 200, { ok: true });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sessions\/([^/]+)\/mcp$/,
      handler: async (_req, res, _url, [id]) => {
        const s = await session(id!);
        const body: SessionMcpResponse = { servers: o.sessionMcp ? o.sessionMcp.redact(await o.sessionMcp.get(s.id)) : {} };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'PUT',
      pattern: /^\/v1\/sessions\/([^/]+)\/mcp$/,
      handler: async (req, res, _url, [id]) => {
        const s = await session(id!);
        const { servers } = await readJson(req, PutSessionMcpRequest);
        if (!o.sessionMcp) throw new HttpError(400, 'bad_request', 'this daemon takes no MCP servers per session');
        // Takes effect at the session's next run (a running one keeps its tools).
        await o.sessionMcp.set(s.id, servers);
        const body: SessionMcpResponse = { servers: o.sessionMcp.redact(servers) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/messages$/,
      handler: async (req, res, _url, [id]) => {
        const sid = sessionIdParam(id!);
        const body = await readJson(req, PostMessageRequest);
        const r = await m.postMessage(sid, body);
        if (!r.ok) return managerError(res, r.error);
        sendJson(res, 202, r.value);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/sessions\/([^/]+)\/messages\/([^/]+)$/,
      handler: async (_req, res, url, [id, messageId]) => {
        const sid = sessionIdParam(id!);
        const mid = decodeURIComponent(messageId!);
        if (!MESSAGE_ID.test(mid)) throw new HttpError(400, 'invalid_id', `not a message id: ${JSON.stringify(mid.slice(0, 80))}`);
        const by = url.searchParams.get('by')?.slice(0, 100) || undefined;
        const r = await m.withdrawMessage(sid, mid, by);
        if (!r.ok) return managerError(res, r.error);
        const body: WithdrawMessageResponse = r.value;
        sendJson(res, 200, body);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/cancel$/,
      handler: async (req, res, _url, [id]) => {
        const sid = sessionIdParam(id!);
        await readJson(req, emptyBody);
        const r = m.cancel(sid);
        if (!r.ok) return managerError(res, r.error);
        sendJson(res, 200, r.value);
      },
    },
    ...checkpointRoutes({
      manager: m,
      ...(o.checkpoints ? { checkpoints: o.checkpoints } : {}),
      ...(o.home ? { home: o.home } : {}),
      sessionIdParam,
      managerError,
    }),
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/compact$/,
      handler: async (req, res, _url, [id]) => {
        const sid = sessionIdParam(id!);
        const body = await readJson(req, CompactRequest);
        const r = await m.compact(sid, body);
        if (!r.ok) return managerError(res, r.error);
        sendJson(res, 200, r.value);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/approvals\/([^/]+)$/,
      handler: async (req, res, _url, [id, approvalId]) => {
        const sid = sessionIdParam(id!);
        const aid = decodeURIComponent(approvalId!);
        const body = await readJson(req, AnswerApprovalRequest);
        const peer = await peerOf(req.socket, (req.socket.address() as AddressInfo).port, req.headers[CLIENT_PID_HEADER]);
        const r = await m.answerApproval(sid, aid, body, peer ? { pid: peer.pid, program: peer.program } : undefined);
        if (!r.ok) return managerError(res, r.error);
        sendJson(res, 200, r.value);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/clarifications\/([^/]+)$/,
      handler: async (req, res, _url, [id, clarifyId]) => {
        const sid = sessionIdParam(id!);
        const cid = decodeURIComponent(clarifyId!);
        const body = await readJson(req, ClarifyRequest);
        const peer = await peerOf(req.socket, (req.socket.address() as AddressInfo).port, req.headers[CLIENT_PID_HEADER]);
        const r = await m.answerClarification(sid, cid, body, peer ? { pid: peer.pid, program: peer.program } : undefined);
        if (!r.ok) return managerError(res, r.error);
        sendJson(res, 200, r.value);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sessions\/([^/]+)\/events$/,
      handler: async (req, res, url, [id]) => {
        const sid = sessionIdParam(id!);
        // Pinned until the subscriber is registered (it then keeps the session in memory).
        const done = await m.use(sid, (s) => streamSession(req, res, url, s, o.stream));
        if (!done) throw new HttpError(404, 'not_found', `no session ${sid}`);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/events$/,
      handler: (_req, res) =>
        streamList(
          res,
          (send) => {
            const offList = m.onListEvent((e) => send(e.type, e));
            const offMcp = o.onMcpStatus?.((server) => send('mcp.status', { type: 'mcp.status', server }));
            return () => {
              offList();
              offMcp?.();
            };
          },
          o.stream,
        ),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/shutdown$/,
      handler: async (req, res) => {
        await readJson(req, emptyBody);
        sendJson(res, 200, { ok: true });
        setImmediate(o.onShutdown);
      },
    },
  ];
}
