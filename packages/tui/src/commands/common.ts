import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelName, type SessionSummary } from '@hermes/protocol';
import { DaemonClient } from '../client/api.js';
import { ensureDaemon } from '../client/autostart.js';
import { resolveHome } from '../client/discovery.js';

export interface Connection {
  home: string;
  client: DaemonClient;
}

/** Finds (or auto-starts) the daemon of the home and returns a client for it. */
export async function connect(homeOpt: string | undefined): Promise<Connection> {
  const home = resolveHome(homeOpt);
  const state = await ensureDaemon(home);
  return { home, client: new DaemonClient(state) };
}

export class SessionNotFoundError extends Error {}

/** Bad flags or arguments: the message, and exit 2. */
export class UsageError extends Error {}

/** `-w DIR` for chat and send alike: an existing folder, as an absolute path. */
export async function checkWorkspace(dir: string | undefined): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  const abs = path.resolve(dir);
  const st = await stat(abs).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`--workspace ${dir}: ${st ? 'not a folder' : 'no such folder'}`);
  return abs;
}

/** `-m provider:model` for chat and send alike (the daemon then checks that the provider exists). */
export function checkModel(model: string | undefined): void {
  if (model === undefined) return;
  const m = ModelName.safeParse(model);
  if (!m.success) throw new UsageError(`--model ${model}: ${m.error.issues[0]?.message ?? 'not a model name'}`);
}

/** What `-c` continues: the most recent session of the workspace, else the most recent of all. */
export function pickContinue(sessions: SessionSummary[], workspace: string): { session: SessionSummary; elsewhere: boolean } {
  if (sessions.length === 0) throw new SessionNotFoundError('there are no sessions yet to continue; start one without -c');
  const byRecent = [...sessions].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const here = byRecent.find((s) => s.workspace === workspace);
  return here ? { session: here, elsewhere: false } : { session: byRecent[0]!, elsewhere: true };
}

/** The line `-c` prints when the session it continues works in another folder. */
export function continuedElsewhereLine(session: SessionSummary, workspace: string): string {
  return `hermes: no session in ${workspace} yet; continuing the most recent one, ${session.id} in ${session.workspace} (to start a new one here, drop -c)`;
}

/** Resolves `-c` against the daemon's sessions, saying on stderr when it picks another folder's. */
export async function resolveContinue(client: DaemonClient, workspace: string): Promise<SessionSummary> {
  const { sessions } = await client.listSessions();
  const { session, elsewhere } = pickContinue(sessions, workspace);
  if (elsewhere) process.stderr.write(`${continuedElsewhereLine(session, workspace)}\n`);
  return session;
}

/**
 * Resolves what a user typed for a session: a full id, a unique prefix of one, or `latest`
 * (the most recently updated). Ambiguous prefixes list the candidates.
 */
export function matchSession(sessions: SessionSummary[], spec: string): SessionSummary {
  if (sessions.length === 0) throw new SessionNotFoundError('there are no sessions yet');
  const byRecent = [...sessions].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  if (spec === 'latest' || spec === 'last') return byRecent[0]!;
  const exact = sessions.find((s) => s.id === spec);
  if (exact) return exact;
  const hits = sessions.filter((s) => s.id.startsWith(spec) || s.id.endsWith(spec));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new SessionNotFoundError(`no session matches "${spec}" (see \`hermes sessions list\`)`);
  const shown = [...hits].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1)).slice(0, 5);
  const more = hits.length - shown.length;
  const list = [
    ...shown.map((s) => `  ${s.id}  ${s.title}`),
    ...(more > 0 ? [`  … and ${more} more (a longer prefix picks one)`] : []),
  ].join('\n');
  throw new SessionNotFoundError(`"${spec}" matches ${hits.length} sessions:\n${list}`);
}

export async function resolveSession(client: DaemonClient, spec: string): Promise<SessionSummary> {
  const { sessions } = await client.listSessions();
  return matchSession(sessions, spec);
}
