import * as z from 'zod';
import { clarifyTool } from './clarify.js';
import { patchTool } from './patch.js';
import { readFileTool } from './read-file.js';
import { searchFilesTool } from './search-files.js';
import { terminalTool } from './terminal.js';
import { todoWriteTool } from './todo-write.js';
import { webFetchTool } from './web-fetch.js';
import type { Tool, ToolContext, ToolResult, ToolSpec } from './types.js';
import { writeFileTool } from './write-file.js';

export const BUILTIN_TOOLS: readonly Tool[] = [
  terminalTool,
  readFileTool,
  writeFileTool,
  patchTool,
  searchFilesTool,
  todoWriteTool,
  clarifyTool,
  webFetchTool,
] as unknown as readonly Tool[];

export interface ParsedCall {
  tool: Tool;
  args: Record<string, unknown>;
}

export interface ToolRegistry {
  getTool(name: string): Tool | undefined;
  /** Name, description and JSON-schema parameters of every tool, for the provider. */
  toolSpecs(): ToolSpec[];
  /**
   * Validates raw arguments. Returns the tool and parsed arguments, or an `ok: false` result
   * for the model (unknown tool, invalid arguments).
   */
  parseCall(name: string, rawArgs: unknown): ParsedCall | { error: ToolResult };
  /** Validates and runs a call. Never throws: every failure becomes an `ok: false` result. */
  runTool(name: string, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult>;
}

export function createRegistry(tools: readonly Tool[] = BUILTIN_TOOLS): ToolRegistry {
  const byName = new Map(tools.map((t) => [t.name, t]));

  const parseCall: ToolRegistry['parseCall'] = (name, rawArgs) => {
    const tool = byName.get(name);
    if (!tool) return { error: { ok: false, result: `Unknown tool "${name}". Available tools: ${[...byName.keys()].join(', ')}.` } };
    const parsed = tool.argsSchema.safeParse(rawArgs ?? {});
    if (!parsed.success) return { error: { ok: false, result: `Invalid arguments for ${name}:\n${z.prettifyError(parsed.error)}` } };
    return { tool, args: parsed.data as Record<string, unknown> };
  };

  return {
    getTool: (name) => byName.get(name),
    toolSpecs: () => tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
    parseCall,
    async runTool(name, rawArgs, ctx) {
      const call = parseCall(name, rawArgs);
      if ('error' in call) return call.error;
      try {
        return await call.tool.execute(call.args, ctx);
      } catch (e) {
        return { ok: false, result: `${name} failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}

/**
 * `base` plus tools that come and go (MCP servers starting, `list_changed`): `extra` is read at
 * every use, so each provider request sees the tools as they are then.
 */
export function withExtraTools(base: ToolRegistry, extra: () => readonly Tool[]): ToolRegistry {
  let last: readonly Tool[] | null = null;
  let added = createRegistry([]);
  const more = (): ToolRegistry => {
    const now = extra();
    if (now !== last) {
      last = now;
      added = createRegistry(now.filter((t) => base.getTool(t.name) === undefined));
    }
    return added;
  };
  const owner = (name: string): ToolRegistry => (base.getTool(name) ? base : more());
  return {
    getTool: (name) => base.getTool(name) ?? more().getTool(name),
    toolSpecs: () => [...base.toolSpecs(), ...more().toolSpecs()],
    parseCall: (name, raw) => {
      const r = owner(name).parseCall(name, raw);
      // An unknown name: list every tool, the extra ones included.
      if ('error' in r && !base.getTool(name) && !more().getTool(name)) {
        const names = [...base.toolSpecs(), ...more().toolSpecs()].map((t) => t.name).join(', ');
        return { error: { ok: false, result: `Unknown tool "${name}". Available tools: ${names}.` } };
      }
      return r;
    },
    runTool: (name, raw, ctx) => owner(name).runTool(name, raw, ctx),
  };
}

/** `base` without some of its tools (a config turned them off): the model never sees them, a call to one is unknown. */
export function withoutTools(base: ToolRegistry, names: readonly string[]): ToolRegistry {
  const hidden = new Set(names);
  return createRegistry(base.toolSpecs().flatMap((spec) => (hidden.has(spec.name) ? [] : [base.getTool(spec.name)!])));
}

/** The registry of built-in tools. */
export const defaultRegistry: ToolRegistry = createRegistry();
export const getTool = defaultRegistry.getTool;
export const toolSpecs = defaultRegistry.toolSpecs;
export const runTool = defaultRegistry.runTool;
