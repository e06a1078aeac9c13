import type { ApprovalDecision, McpServerStatus } from '@hermes/protocol';

/** One server as `/mcp` and `hermes mcp list` show it. */
export function mcpServerLines(s: McpServerStatus): string[] {
  const head = `${s.name}  ${s.status}${s.tools.length ? ` · ${s.tools.length} tools · ~${s.schemaTokens} tokens` : ''}${s.workspace ? `  (${s.workspace})` : ''}`;
  const lines = [head];
  if (s.error) lines.push(`  ${s.error}`);
  for (const t of s.tools) lines.push(`  ${t.name}  ${t.description.split('\n')[0]!.slice(0, 80)}`);
  return lines;
}

/**
 * The question about a workspace's `.mcp.json` (approval kind `mcp_project`): what each answer
 * does, since "allow once" would not say that "always" lasts only while the file is unchanged.
 */
export const PROJECT_APPROVAL_TITLE = "Start this workspace's MCP servers?";
export const PROJECT_APPROVAL_LABELS: Partial<Record<ApprovalDecision, string>> = {
  once: 'Start them for this run',
  session: 'Start them in this session',
  always: 'Trust this .mcp.json (asks again when it changes)',
  deny: "Don't start them",
};
/** The most lines of a project approval's server list `send` prints. */
export const PROJECT_APPROVAL_MAX_LINES = 40;
