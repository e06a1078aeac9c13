import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { REDACTED, SessionMcpServers, type McpServerConfig } from '@hermes/protocol';
import { ensurePrivateDir, writeFileAtomic } from '../util/fs.js';

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Each session's own MCP servers (given at creation or with `PUT /v1/sessions/:id/mcp`, e.g.
 * an editor's over ACP), in `HERMES_HOME/session-mcp/<id>.json` (0600). Not in the session's
 * event log: their `env` and `headers` often hold tokens, and events go to every client.
 */
export class SessionServers {
  private readonly dir: string;
  private readonly cache = new Map<string, Record<string, McpServerConfig>>();

  constructor(home: string) {
    this.dir = path.join(home, 'session-mcp');
  }

  private file(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`not a session id: ${id.slice(0, 40)}`);
    return path.join(this.dir, `${id}.json`);
  }

  async get(id: string): Promise<Record<string, McpServerConfig>> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    let servers: Record<string, McpServerConfig> = {};
    try {
      const parsed = SessionMcpServers.safeParse(JSON.parse(await readFile(this.file(id), 'utf8')));
      if (parsed.success) servers = parsed.data;
    } catch {
      // none
    }
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(id, servers);
    return servers;
  }

  async set(id: string, servers: Record<string, McpServerConfig>): Promise<void> {
    const file = this.file(id);
    if (Object.keys(servers).length === 0) {
      await rm(file, { force: true });
    } else {
      await ensurePrivateDir(this.dir);
      await writeFileAtomic(file, JSON.stringify(servers, null, 2) + '\n', 0o600);
    }
    this.cache.set(id, servers);
  }

  async remove(id: string): Promise<void> {
    this.cache.delete(id);
    await rm(this.file(id), { force: true }).catch(() => {});
  }
}

/** A session's servers as the API shows them: `env` and `headers` values replaced. */
export function redactServers(servers: Record<string, McpServerConfig>): Record<string, McpServerConfig> {
  const hide = (r: Record<string, string> | undefined) => (r ? Object.fromEntries(Object.keys(r).map((k) => [k, REDACTED])) : undefined);
  return Object.fromEntries(
    Object.entries(servers).map(([name, s]) => {
      const env = hide(s.env);
      const headers = hide(s.headers);
      return [name, { ...s, ...(env ? { env } : {}), ...(headers ? { headers } : {}) }];
    }),
  );
}
