import {
  ApprovalResponse,
  CancelResponse,
  CLIENT_PID_HEADER,
  CompactResponse,
  RewindRequest,
  RewindResponse,
  ErrorResponse,
  GetSessionResponse,
  HelloResponse,
  ListSessionsResponse,
  ModelListing,
  SandboxStatus,
  McpStatusResponse,
  OkResponse,
  PostMessageResponse,
  SessionResponse,
  WithdrawMessageResponse,
  type ApprovalRequest,
  type CompactRequest,
  type CreateSessionRequest,
  type DaemonState,
  type PatchSessionRequest,
  type PostMessageRequest,
} from '@hermes/protocol';
import type { z } from 'zod';
import { ApiError, DaemonUnavailableError } from './errors.js';
import { requestJson } from './http.js';

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
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
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
  sandboxStatus() {
    return this.call('GET', '/v1/sandbox', SandboxStatus);
  }
  listSessions() {
    return this.call('GET', '/v1/sessions', ListSessionsResponse);
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
    return this.call('DELETE', `/v1/sessions/${encodeURIComponent(id)}/messages/${encodeURIComponent(messageId)}${query}`, WithdrawMessageResponse);
  }
  /** Compacts the session's history now; resolves when it ended (409 while a run is active). */
  compact(id: string, req: CompactRequest = {}) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/compact`, CompactResponse, req);
  }
  /** Rewinds the conversation and/or the files to before a user message (409 while a run is active). */
  rewind(id: string, req: RewindRequest) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/rewind`, RewindResponse, req);
  }
  cancel(id: string) {
    return this.call('POST', `/v1/sessions/${encodeURIComponent(id)}/cancel`, CancelResponse, {});
  }
  answerApproval(id: string, approvalId: string, req: ApprovalRequest) {
    return this.call(
      'POST',
      `/v1/sessions/${encodeURIComponent(id)}/approvals/${encodeURIComponent(approvalId)}`,
      ApprovalResponse,
      req,
    );
  }
  shutdown() {
    return this.call('POST', '/v1/shutdown', OkResponse, {});
  }
}

