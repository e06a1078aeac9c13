import * as z from 'zod';

/** An MCP server's name: what `mcp__<server>__<tool>` and the log file are made of. */
export const McpServerName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _');

/** One MCP server: Claude's `mcpServers` entry shape plus hermes's own knobs. */
export const McpServerConfig = z
  .strictObject({
    /** Inferred when absent: `command` → stdio, `url` → http (Streamable HTTP, falling back to SSE). */
    type: z.enum(['stdio', 'http', 'sse']).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    url: z.url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    enabled: z.boolean().optional(),
    startupTimeoutMs: z.number().int().positive().optional(),
    toolTimeoutMs: z.number().int().positive().optional(),
    includeTools: z.array(z.string()).optional(),
    excludeTools: z.array(z.string()).optional(),
    /** `ask` (default): every tool asks; `readOnly`: tools the server marks read-only do not; `all`: none asks. */
    trust: z.enum(['ask', 'readOnly', 'all']).optional(),
    maxOutputBytes: z.number().int().positive().optional(),
  })
  .refine((s) => s.command !== undefined || s.url !== undefined, { message: 'an MCP server needs a command or a url' });
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/**
 * Where a server comes from: `user` (config.json), `project` (the workspace's `.mcp.json`, once
 * approved), `session` (given for one session, e.g. by an editor over ACP).
 */
export const McpScope = z.enum(['user', 'project', 'session']);
export type McpScope = z.infer<typeof McpScope>;

/** The most servers one session may bring. */
export const MAX_SESSION_MCP_SERVERS = 20;

/** A session's own MCP servers, by name (`POST /v1/sessions {mcpServers}`, `PUT /v1/sessions/:id/mcp`). */
export const SessionMcpServers = z.record(McpServerName, McpServerConfig).refine((r) => Object.keys(r).length <= MAX_SESSION_MCP_SERVERS, {
  message: `at most ${MAX_SESSION_MCP_SERVERS} MCP servers per session`,
});
export type SessionMcpServers = z.infer<typeof SessionMcpServers>;

/** `PUT /v1/sessions/:id/mcp`: replaces the session's own servers (`{}` removes them). */
export const PutSessionMcpRequest = z.strictObject({ servers: SessionMcpServers });
export type PutSessionMcpRequest = z.infer<typeof PutSessionMcpRequest>;

/**
 * `GET|PUT /v1/sessions/:id/mcp`: the session's own servers. `env` and `headers` values are
 * never sent back (they often hold tokens): each reads `<redacted>`.
 */
export const SessionMcpResponse = z.object({ servers: z.record(z.string(), McpServerConfig) });
export type SessionMcpResponse = z.infer<typeof SessionMcpResponse>;

export const REDACTED = '<redacted>';

export const McpServerStatus = z.object({
  name: z.string(),
  /** stdio servers run once per workspace. */
  workspace: z.string().optional(),
  /** Absent: `user`. */
  scope: McpScope.optional(),
  /** A `session` server's session. */
  sessionId: z.string().optional(),
  status: z.enum(['starting', 'ready', 'failed', 'disabled']),
  error: z.string().optional(),
  /** Tool names as the model sees them (`mcp__server__tool`). */
  tools: z.array(z.object({ name: z.string(), description: z.string() })),
  /** About how many tokens the tools' schemas cost in every request. */
  schemaTokens: z.number().int().nonnegative(),
});
export type McpServerStatus = z.infer<typeof McpServerStatus>;

/** `GET /v1/mcp`. */
export const McpStatusResponse = z.object({ servers: z.array(McpServerStatus) });
export type McpStatusResponse = z.infer<typeof McpStatusResponse>;
