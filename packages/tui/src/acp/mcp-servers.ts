import type { McpServer } from '@agentclientprotocol/sdk';
import { MAX_SESSION_MCP_SERVERS, McpServerConfig } from '@hermes/protocol';

/**
 * The editor's MCP servers (ACP `session/new {mcpServers}`) as a hermes session's own servers.
 * ACP lists them with free-form names and `[{name, value}]` env and headers; hermes names are
 * `[A-Za-z0-9_-]{1,64}` (they become `mcp__<server>__<tool>`), so names are cleaned and made
 * unique. An entry hermes cannot take is left out and said why (the bridge logs it). Pure.
 */
export function toSessionServers(servers: readonly McpServer[]): { servers: Record<string, McpServerConfig>; problems: string[] } {
  const out: Record<string, McpServerConfig> = {};
  const problems: string[] = [];
  for (const s of servers) {
    if (Object.keys(out).length >= MAX_SESSION_MCP_SERVERS) {
      problems.push(`more than ${MAX_SESSION_MCP_SERVERS} MCP servers: the rest are left out`);
      break;
    }
    const name = uniqueName(s.name, out);
    const pairs = (list: readonly { name: string; value: string }[] | undefined) =>
      Object.fromEntries((list ?? []).map((p) => [p.name, p.value]));
    let entry: unknown;
    if ('type' in s && (s.type === 'http' || s.type === 'sse')) {
      const headers = pairs(s.headers);
      entry = { type: s.type, url: s.url, ...(Object.keys(headers).length ? { headers } : {}) };
    } else {
      const stdio = s as Extract<McpServer, { command: string }>;
      const env = pairs(stdio.env);
      entry = { command: stdio.command, args: stdio.args ?? [], ...(Object.keys(env).length ? { env } : {}) };
    }
    const parsed = McpServerConfig.safeParse(entry);
    if (!parsed.success) {
      problems.push(
        `MCP server ${JSON.stringify(s.name).slice(0, 80)} left out: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ')}`,
      );
      continue;
    }
    out[name] = parsed.data;
  }
  return { servers: out, problems };
}

function uniqueName(raw: string, taken: Record<string, unknown>): string {
  const base = (raw.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'server').slice(0, 60);
  let name = base;
  for (let i = 2; name in taken; i++) name = `${base}_${i}`;
  return name;
}
