export type { JsonSchema, Tool, ToolContext, ToolResult, ToolSpec } from './types.js';
export { BUILTIN_TOOLS, createRegistry, defaultRegistry, getTool, runTool, toolSpecs } from './registry.js';
export type { ParsedCall, ToolRegistry } from './registry.js';
export { terminalTool } from './terminal.js';
export { readFileTool } from './read-file.js';
export { writeFileTool } from './write-file.js';
export { patchTool } from './patch.js';
export { searchFilesTool } from './search-files.js';
