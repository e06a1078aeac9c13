import type { IncomingMessage, ServerResponse } from 'node:http';
import fs from 'node:fs/promises';
import {
  ForkRequest,
  RetryRequest,
  RewindRequest,
  UnrewindRequest,
  type CheckpointDiffResponse,
  type CheckpointsResponse,
} from '@hermes/protocol';
import { ShadowStore, storeDir, type CheckpointService } from '../checkpoint/index.js';
import type { ManagerError, Result, SessionManager } from '../session/manager.js';
import { HttpError, readJson, sendJson } from './respond.js';
import * as z from 'zod';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => Promise<void> | void;
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export interface CheckpointRouteDeps {
  manager: SessionManager;
  checkpoints?: CheckpointService;
  home?: string;
  sessionIdParam(raw: string): string;
  managerError(res: ServerResponse, error: ManagerError): void;
}

/** A diff bigger than this is cut (the files list still names every file). */
const MAX_DIFF_BYTES = 4 * 1024 * 1024;
const RUN_ID = /^run_[A-Za-z0-9_-]{1,64}$/;

/** Rewind, unrewind, retry, fork, the checkpoints of a session and the stores as a whole. */
export function checkpointRoutes(d: CheckpointRouteDeps): Route[] {
  const m = d.manager;
  const answer = <T>(res: ServerResponse, status: number, r: Result<T>) =>
    r.ok ? sendJson(res, status, r.value) : d.managerError(res, r.error);
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/rewind$/,
      handler: async (req, res, _url, [id]) => answer(res, 200, await m.rewind(d.sessionIdParam(id!), await readJson(req, RewindRequest))),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/unrewind$/,
      handler: async (req, res, _url, [id]) =>
        answer(res, 200, await m.unrewind(d.sessionIdParam(id!), await readJson(req, UnrewindRequest))),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/retry$/,
      handler: async (req, res, _url, [id]) => answer(res, 202, await m.retry(d.sessionIdParam(id!), await readJson(req, RetryRequest))),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/sessions\/([^/]+)\/fork$/,
      handler: async (req, res, _url, [id]) => answer(res, 201, await m.fork(d.sessionIdParam(id!), await readJson(req, ForkRequest))),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sessions\/([^/]+)\/checkpoints$/,
      handler: async (_req, res, _url, [id]) => {
        const sid = d.sessionIdParam(id!);
        const s = await m.open(sid);
        if (!s) return d.managerError(res, { code: 'not_found', message: `no session ${sid}` });
        const body: CheckpointsResponse = { checkpoints: s.transcript.checkpoints ?? [] };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/sessions\/([^/]+)\/checkpoints\/([^/]+)\/diff$/,
      handler: async (_req, res, _url, [id, rawRun]) => {
        const sid = d.sessionIdParam(id!);
        const runId = decodeURIComponent(rawRun!);
        if (!RUN_ID.test(runId)) throw new HttpError(400, 'invalid_id', `not a run id: ${JSON.stringify(runId.slice(0, 80))}`);
        const s = await m.open(sid);
        if (!s) return d.managerError(res, { code: 'not_found', message: `no session ${sid}` });
        const t = s.transcript;
        // A run a rewind undid still has its diff.
        const cp = [...(t.checkpoints ?? []), ...(t.rewinds ?? []).flatMap((r) => r.undone)].find((c) => c.runId === runId);
        if (!cp || !d.home) return d.managerError(res, { code: 'not_found', message: `no checkpoint of run ${runId} in session ${sid}` });
        const real = await fs.realpath(t.workspace).catch(() => t.workspace);
        const full = await new ShadowStore(storeDir(d.home, real), real).patch(cp.before, cp.after).catch(() => null);
        if (full === null) return d.managerError(res, { code: 'not_found', message: `the snapshots of run ${runId} are gone (pruned)` });
        const truncated = Buffer.byteLength(full) > MAX_DIFF_BYTES;
        const body: CheckpointDiffResponse = {
          runId,
          files: cp.files,
          diff: truncated ? Buffer.from(full).subarray(0, MAX_DIFF_BYTES).toString('utf8') : full,
          truncated,
        };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/checkpoints$/,
      handler: async (_req, res) => {
        if (!d.checkpoints) throw new HttpError(404, 'not_found', 'this daemon keeps no checkpoints');
        sendJson(res, 200, await d.checkpoints.status());
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/checkpoints\/prune$/,
      handler: async (req, res) => {
        await readJson(req, z.object({}));
        if (!d.checkpoints) throw new HttpError(404, 'not_found', 'this daemon keeps no checkpoints');
        if (m.activeRunCount > 0)
          return d.managerError(res, { code: 'conflict', message: 'a run is active: prune once every run has ended' });
        sendJson(res, 200, await d.checkpoints.prune());
      },
    },
  ];
}
