import * as z from 'zod';
import type { Tool } from '../tool/types.js';
import type { McpConnection, ServerTool } from './connection.js';
import { uniqueToolNames } from './names.js';

const Args = z.record(z.string(), z.unknown());

/** The server's input schema as a provider accepts it: an object schema, no `$schema`. */
function parametersOf(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _drop, ...rest } = schema;
  return { ...rest, type: 'object', properties: (rest.properties as object | undefined) ?? {} };
}

export interface ServerTools {
  connection: McpConnection;
  trust: 'ask' | 'readOnly' | 'all';
}

/**
 * The model-facing tools of every ready server, named `mcp__<server>__<tool>` (unique and
 * stable). A tool is "read-only" for the policy (no approval) only when the user trusts the
 * server: `trust: all`, or `trust: readOnly` and the server annotates it `readOnlyHint`.
 */
export function toolsOf(servers: readonly ServerTools[]): Tool[] {
  const pairs: { s: ServerTools; t: ServerTool }[] = [];
  for (const s of servers) if (s.connection.status === 'ready') for (const t of s.connection.tools) pairs.push({ s, t });
  const names = uniqueToolNames(pairs.map(({ s, t }) => ({ server: s.connection.name, tool: t.name })));
  return pairs.map(({ s, t }, i): Tool => {
    const server = s.connection.name;
    return {
      name: names[i]!,
      description: `[MCP server ${server}] ${t.description}`.trim(),
      parameters: parametersOf(t.inputSchema),
      readOnly: s.trust === 'all' || (s.trust === 'readOnly' && t.readOnlyHint),
      argsSchema: Args,
      // The card names the server and tool already (`server › tool`): the arguments say the rest.
      summarize: (args) => {
        const json = JSON.stringify(args);
        return json === '{}' ? '' : json;
      },
      // Shown on the approval card: the arguments as they will be sent.
      preview: (args) => Promise.resolve(JSON.stringify(args, null, 2)),
      execute: (args, ctx) =>
        s.connection.call(t.name, args as Record<string, unknown>, { signal: ctx.signal, onProgress: (text) => ctx.onOutput(text) }),
    } as Tool;
  });
}
