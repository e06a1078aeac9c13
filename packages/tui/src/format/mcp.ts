import type { McpServerStatus } from '@hermes/protocol';

/** One server as `/mcp` and `hermes mcp list` show it. */
export function mcpServerLines(s: McpServerStatus): string[] {
  const head = `${s.name}  ${s.status}${s.tools.length ? ` · ${s.tools.length} tools · ~${s.schemaTokens} tokens` : ''}${s.workspace ? `  (${s.workspace})` : ''}`;
  const lines = [head];
  if (s.error) lines.push(`  ${s.error}`);
  for (const t of s.tools) lines.push(`  ${t.name}  ${t.description.split('\n')[0]!.slice(0, 80)}`);
  return lines;
}
