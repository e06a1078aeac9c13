import type { ApprovalDecision, McpServerStatus } from '@hermes/protocol';

/** One server as `/mcp` and `hermes mcp list` show it. */
export function mcpServerLines(s: McpServerStatus): string[] {
  const from = s.scope === 'project' ? ' · from .mcp.json' : s.scope === 'session' ? ' · this session only' : '';
  const head = `${s.name}  ${s.status}${from}${s.tools.length ? ` · ${s.tools.length} tools · ~${s.schemaTokens} tokens` : ''}${s.workspace ? `  (${s.workspace})` : ''}`;
  const lines = [head];
  if (s.error) lines.push(`  ${s.error}`);
  for (const t of s.tools) lines.push(`  ${t.name}  ${t.description.split('\n')[0]!.slice(0, 80)}`);
  return lines;
}

/**
 * The question about a workspace's `.mcp.json` (approval kind `mcp_project`): what each answer
 * does, since "allow once" would not say that "always" lasts only while the file is unchanged.
 */
/** The `tool` of that approval: no tool has this name (tool names are `[A-Za-z0-9_-]`). */
export const PROJECT_FILE_TOOL = '.mcp.json';
export const PROJECT_APPROVAL_TITLE = "Start this workspace's MCP servers?";
export const PROJECT_APPROVAL_LABELS: Partial<Record<ApprovalDecision, string>> = {
  once: 'Start them for this run',
  session: 'Start them in this session',
  always: 'Trust this .mcp.json (asks again when it changes)',
  deny: "Don't start them",
};
/** The most lines of a project approval's server list `send` prints. */
export const PROJECT_APPROVAL_MAX_LINES = 40;

/** How many of a session's MCP servers are ready, starting, failed. */
export interface McpCounts {
  ready: number;
  starting: number;
  failed: number;
}

/**
 * The servers one session can use: the user's (stdio ones started for its workspace, HTTP ones
 * once for all), its workspace's `.mcp.json` ones, its own (`scope: session`). Pure.
 */
export function sessionServers(servers: readonly McpServerStatus[], sessionId: string, workspace: string): McpServerStatus[] {
  return servers.filter((s) =>
    s.scope === 'session' ? s.sessionId === sessionId : s.workspace === undefined || s.workspace === workspace,
  );
}

export function mcpCounts(servers: readonly McpServerStatus[]): McpCounts {
  const n = (status: McpServerStatus['status']) => servers.filter((s) => s.status === status).length;
  return { ready: n('ready'), starting: n('starting'), failed: n('failed') };
}

/** The status line's part: `mcp 2`, `mcp 1 · 1 starting`, `mcp 1 · 1 failed`; null without servers. */
export function mcpStatusText(c: McpCounts): { text: string; failed: boolean } | null {
  if (c.ready + c.starting + c.failed === 0) return null;
  const parts = [`mcp ${c.ready}`];
  if (c.starting) parts.push(`${c.starting} starting`);
  if (c.failed) parts.push(`${c.failed} failed`);
  return { text: parts.join(' · '), failed: c.failed > 0 };
}

/** The scrollback line of an answered `.mcp.json` question: the answer and what it was about, briefly. */
export function projectApprovalResult(decision: ApprovalDecision, summary: string): string {
  const head = summary.split('\n')[0]!.replace(/:$/, '');
  const names = summary
    .split('\n')
    .slice(1)
    .flatMap((l) => (/^ {2}\S/.test(l) ? [l.trim().split(':')[0]!] : []));
  return `${PROJECT_APPROVAL_LABELS[decision] ?? decision}: ${head}${names.length ? ` (${names.join(', ')})` : ''}`;
}

/** A wider rule an approval offers (`mcp__s__*`), as its choice reads on a card, in `send` and in an editor. */
export function widerRuleLabel(pattern: string, decision: ApprovalDecision = 'always'): string {
  const what = widerRuleTarget(pattern);
  return decision === 'session' ? `Allow ${what} for this session` : `Always allow ${what}`;
}

/** What a wider rule covers, in words: `every tool of s` for `mcp__s__*`. */
export function widerRuleTarget(pattern: string): string {
  const server = /^mcp__(.+)__\*$/.exec(pattern)?.[1];
  return server ? `every tool of ${server}` : pattern;
}
