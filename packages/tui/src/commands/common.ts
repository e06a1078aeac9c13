import type { SessionSummary } from '@hermes/protocol';
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
  const list = hits.slice(0, 5).map((s) => `  ${s.id}  ${s.title}`).join('\n');
  throw new SessionNotFoundError(`"${spec}" matches ${hits.length} sessions:\n${list}`);
}

export async function resolveSession(client: DaemonClient, spec: string): Promise<SessionSummary> {
  const { sessions } = await client.listSessions();
  return matchSession(sessions, spec);
}
