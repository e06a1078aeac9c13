import {
  ApprovalResponse,
  ClarifyResponse,
  CancelResponse,
  CLIENT_PID_HEADER,
  CompactResponse,
  RewindRequest,
  RewindResponse,
  UnrewindResponse,
  RetryResponse,
  ForkResponse,
  CheckpointsStatusResponse,
  CheckpointsPruneResponse,
  type UnrewindRequest,
  type RetryRequest,
  type ForkRequest,
  ErrorResponse,
  GetSessionResponse,
  HelloResponse,
  ListSessionsResponse,
  ModelListing,
  SandboxStatus,
  McpStatusResponse,
  SessionMcpResponse,
  type PutSessionMcpRequest,
  OkResponse,
  PostMessageResponse,
  SearchLine,
  SessionResponse,
  type SearchEnd,
  type SearchHit,
  WithdrawMessageResponse,
  type AnswerApprovalRequest,
  type ClarifyRequest,
  type CompactRequest,
  type CreateSessionRequest,
  type DaemonState,
  type PatchSessionRequest,
  type PostMessageRequest,
} from '@hermes/protocol';
import type { z } from 'zod';
import { ApiError, DaemonUnavailableError } from './errors.js';
import type { IncomingMessage } from 'node:http';
import { openRequest, readBody, requestJson } from './http.js';

/** A typed client of the daemon's JSON routes; responses are validated with the protocol's schemas. */
export class DaemonClient {
  readonly base: string;

  constructor(readonly state: DaemonState) {
    this.base = `http://127.0.0.1:${state.port}`;
  }

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.state.token}`, [CLIENT_PID_HEADER]: String(process.pid) };
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<z.infer<S>> {
    let res: { status: number; json: unknown };
    try {
      res = await requestJson({
        port: this.state.port,
        method,
        path,
        headers: { ...this.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new DaemonUnavailableError(`cannot reach the hermes daemon at ${this.base}: ${(err as Error).message}`);
    }
    if (res.status >= 400) {
      const e = ErrorResponse.safeParse(res.json);
      throw new ApiError(res.status, e.success ? e.data.error.code : 'http_error', e.success ? e.data.error.message : `HTTP ${res.status}`);
    }
    const parsed = schema.safeParse(res.json);
    if (!parsed.success) throw new ApiError(res.status, 'invalid_response', `unexpected response from ${method} ${path}`);
    return parsed.data;
  }

  hello() {
    return this.call('GET', '/v1/hello', HelloResponse);
  }
  listModels() {
    return this.call('GET', '/v1/models', ModelListing);
  }
  mcpStatus() {
    return this.call('GET', '/v1/mcp', McpStatusResponse);
  }
  /** Replaces a session's own MCP servers (`{}` removes them). */
  putSessionMcp(id: string, req: PutSessionMcpRequest) {
    return this.call('PUT', `/v1/sessions/${encodeURIComponent(id)}/mcp`, SessionMcpResponse, req);
  }
  sandboxStatus() {
    return this.call('GET', '/v1/sandbox', SandboxStatus);
  }
  /** Without a query: every session (today's shape). With one: a page, `nextCursor` and `total`. */
  listSessions(query?: { limit?: number; before?: string; q?: string }) {
    const params = new URLSearchParams();
    if (query?.limit !== undefined) params.set('limit', String(query.limit));
    if (query?.before) params.set('before', query.before);
    if (query?.q) params.set('q', query.q);
    const qs = params.toString();
    return this.call('GET', `/v1/sessions${qs ? `?${qs}` : ''}`, ListSessionsResponse);
  }

  /**
   * `GET /v1/search`: calls `onHit` for each match as the daemon finds it; resolves with the
   * end line (how many, whether the limit cut it short).
   */
  async search(q: string, opts: { limit?: number; signal?: AbortSignal }, onHit: (hit: SearchHit) => void): Promise<SearchEnd> {
    const params = new URLSearchParams({ q });
    if (opts.limit !== undefined) params.set('limit', String(opts.limit));
    let res: IncomingMessage;
    try {
      res = await openRequest({
        port: this.state.port,
        method: 'GET',
        path: `/v1/search?${params}`,
        headers: this.headers,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new DaemonUnavailableError(`cannot reach the hermes daemon at ${this.base}: ${(err as Error).message}`);
    }
    if ((res.statusCode ?? 0) >= 400) {
      const text = await readBody(res);
      let e: ReturnType<typeof ErrorResponse.safeParse> | null = null;
      try {
        e = ErrorResponse.safeParse(JSON.parse(text));
      } catch {
        // not JSON
      }
      throw new ApiError(
        res.statusCode ?? 0,
        e?.success ? e.data.error.code : 'http_error',
        e?.success ? e.data.error.message : `HTTP ${res.statusCode}`,
      );
    }
    res.setEncoding('utf8');
    let buf = '';
    let end: SearchEnd | null = null;
    for await (const chunk of res as AsyncIterable<string>) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const parsed = SearchLine.safeParse(JSON.parse(line));
        if (!parsed.success) continue;
        if (parsed.data.type === 'hit') onHit(parsed.data);
        else end = parsed.data;
      }
    }
    if (!end) throw new ApiError(200, 'invalid_response', 'the search ended before its last line');
    return end;
  }
  createSession(req: CreateSessionRequest = {}) {
    return this.call('POST', '/v1/sessions', SessionResponse, req);
  }
  getSession(id: string, signal?: AbortSignal) {
    return this.call('GET', `/v1/sessions/${encodeURIComponent(id)}`, GetSessionResponse, undefined, signal);
  }
  patchSession(id: string, req: PatchSessionRequest) {
    return this.call('PATCH', `/v1/sessions/${encodeURIComponent(id)}`, SessionResponse, req);
  }
  deleteSession(id: string) {
    return this.call('DELETE', `/v1/sessions/${encodeURIComponent(id)}`, OkResponse);
  }
  postMessage(id: string, req: PostMessageRequest) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/messages`, PostMessageResponse, req);
  }
  /** Withdraws a queued message before it runs (409 once its run has started). */
  withdrawMessage(id: string, messageId: string, by?: string) {
    const query = by ? `?by=${encodeURIComponent(by)}` : '';
    return this.call(
      'DELETE',
      `/v1/sessions/${encodeURIComponent(id)}/messages/${encodeURIComponent(messageId)}${query}`,
      WithdrawMessageResponse,
    );
  }
  /** Compacts the session's history now; resolves when it ended (409 while a run is active). */
  compact(id: string, req: CompactRequest = {}) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/compact`, CompactResponse, req);
  }
  /** Rewinds the conversation and/or the files to before a user message (409 while a run is active). */
  rewind(id: string, req: RewindRequest) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/rewind`, RewindResponse, req);
  }
  /** Takes the latest rewind back (409 once a message was sent since, or a second time). */
  unrewind(id: string, req: UnrewindRequest) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/unrewind`, UnrewindResponse, req);
  }
  /** Rewinds the last user message and runs it again (202; 409 with none or while busy). */
  retry(id: string, req: Partial<RetryRequest> = {}) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/retry`, RetryResponse, req);
  }
  /** A new session with this one's events before `atMessageId` (all of them without it). */
  fork(id: string, req: ForkRequest = {}) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/fork`, ForkResponse, req);
  }
  checkpointsStatus() {
    return this.call('GET', '/v1/checkpoints', CheckpointsStatusResponse);
  }
  pruneCheckpoints() {
    return this.call('POST', '/v1/checkpoints/prune', CheckpointsPruneResponse, {});
  }
  cancel(id: string) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/cancel`, CancelResponse, {});
  }
  answerApproval(id: string, approvalId: string, req: AnswerApprovalRequest) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/approvals/${encodeURIComponent(approvalId)}`, ApprovalResponse, req);
  }
  answerClarification(id: string, clarifyId: string, req: ClarifyRequest) {
    return this.call(
      'POST',
      `/v1/sessions/${encodeURIComponent(id)}/clarifications/${encodeURIComponent(clarifyId)}`,
      ClarifyResponse,
      req,
    );
  }
  shutdown() {
    return this.call('POST', '/v1/shutdown', OkResponse, {});
  }
}
