import { createHash } from 'node:crypto';

/** OpenAI's limit on function names; Anthropic's is the same. */
export const MAX_TOOL_NAME = 64;

const clean = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');
const hash6 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 6);

/**
 * The name the model sees for a server's tool: `mcp__<server>__<tool>`, sanitised to
 * `[A-Za-z0-9_-]`, at most 64 characters. Too long: cut, plus a hash of the full name, so the
 * same tool always gets the same name (stable across restarts and prompt caches).
 */
export function toolName(server: string, tool: string): string {
  const full = `mcp__${clean(server)}__${clean(tool)}`;
  if (full.length <= MAX_TOOL_NAME) return full;
  return `${full.slice(0, MAX_TOOL_NAME - 7)}_${hash6(`${server}\u0000${tool}`)}`;
}

/**
 * Names for every (server, tool) pair, unique: a collision (two names that sanitise alike, or a
 * cut that meets another) gets a hash suffix made from the original pair, again stable.
 */
export function uniqueToolNames(pairs: readonly { server: string; tool: string }[]): string[] {
  const names = pairs.map((p) => toolName(p.server, p.tool));
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => {
    if (count.get(n) === 1) return n;
    const { server, tool } = pairs[i]!;
    return `${n.slice(0, MAX_TOOL_NAME - 7)}_${hash6(`${server}\u0000${tool}`)}`;
  });
}

/** The server a model-facing name belongs to, or null when it is not an MCP tool. */
export function isMcpToolName(name: string): boolean {
  return name.startsWith('mcp__');
}
