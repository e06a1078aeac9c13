import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import * as z from 'zod';
import { displayPath, fsErrorMessage, jsonSchemaOf, looksBinary, resolvePath, ToolError } from './common.js';
import { targetFor } from './safe-write.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;
const MAX_LINE_CHARS = 2000;
/** Whole-file reads above this are refused; with offset/limit the file is streamed instead. */
export const MAX_READ_BYTES = 10 * 1024 * 1024;
/** Total characters returned in one call. */
const MAX_RESULT_CHARS = 200_000;

const Args = z.strictObject({
  path: z.string().min(1).describe('File to read, relative to the workspace or absolute.'),
  offset: z.number().int().positive().optional().describe('First line to return, 1-based (default 1).'),
  limit: z.number().int().positive().optional().describe(`How many lines to return (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}).`),
});
type Args = z.infer<typeof Args>;

function formatLine(n: number, line: string): string {
  const body = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line truncated: ${line.length} chars]` : line;
  return `${String(n).padStart(6)}\t${body}`;
}

/** Opening never follows a link: the path was resolved and judged already (see `real`). */
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

async function sniffBinary(abs: string): Promise<boolean> {
  const fh = await open(abs, NO_FOLLOW | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return looksBinary(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Reads lines [offset, offset+limit) by streaming, counting the rest: bounded memory for any size. */
async function readRange(abs: string, offset: number, limit: number, signal: AbortSignal): Promise<{ lines: string[]; total: number }> {
  const fh = await open(abs, NO_FOLLOW);
  const stream = fh.createReadStream({ encoding: 'utf8', signal });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  const lines: string[] = [];
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      if (n >= offset && n < offset + limit) lines.push(line);
    }
  } finally {
    rl.close();
    stream.destroy();
  }
  return { lines, total: n };
}

async function run(args: Args, ctx: ToolContext): Promise<ToolResult> {
  const abs = resolvePath(ctx.workspace, args.path, ctx.env);
  const shown = displayPath(ctx.workspace, abs);
  const offset = args.offset ?? 1;
  const limit = Math.min(args.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  let size: number;
  let real: string;
  try {
    real = (await targetFor(abs, shown, ctx)).real;
    const st = await lstat(real);
    if (st.isSymbolicLink())
      return { ok: false, result: `${shown} changed after it was checked (it is now a symbolic link); nothing was done.` };
    if (st.isDirectory())
      return { ok: false, result: `${shown} is a directory, not a file. Use search_files with target "files" to list what it contains.` };
    if (!st.isFile()) return { ok: false, result: `${shown} is not a regular file.` };
    size = st.size;
    if (await sniffBinary(real)) return { ok: false, result: `${shown} is a binary file (${size} bytes); read_file only returns text.` };
  } catch (e) {
    return { ok: false, result: e instanceof ToolError ? e.message : fsErrorMessage(e, shown) };
  }
  if (size === 0) return { ok: true, result: `${shown} is empty.` };
  if (size > MAX_READ_BYTES && args.offset === undefined && args.limit === undefined) {
    return {
      ok: false,
      result: `${shown} is ${size} bytes, too large to read whole (limit ${MAX_READ_BYTES}). Read a part with offset and limit, or find what you need with search_files.`,
    };
  }
  let lines: string[];
  let total: number;
  try {
    ({ lines, total } = await readRange(real, offset, limit, ctx.signal));
  } catch (e) {
    return { ok: false, result: fsErrorMessage(e, shown) };
  }
  if (offset > total) return { ok: false, result: `${shown} has ${total} lines; offset ${offset} is past the end.` };
  const out: string[] = [];
  let chars = 0;
  let shownCount = 0;
  for (const [i, line] of lines.entries()) {
    const formatted = formatLine(offset + i, line);
    if (chars + formatted.length > MAX_RESULT_CHARS && shownCount > 0) break;
    out.push(formatted);
    chars += formatted.length + 1;
    shownCount++;
  }
  const last = offset + shownCount - 1;
  const remaining = total - last;
  if (remaining > 0) out.push(`[… ${remaining} more lines (${total} total); continue with offset=${last + 1}]`);
  return { ok: true, result: out.join('\n') };
}

export const readFileTool: Tool<typeof Args> = {
  name: 'read_file',
  description:
    `Read a text file with numbered lines (cat -n style). Returns up to ${DEFAULT_LIMIT} lines from offset (1-based); ` +
    'says how many lines remain. Refuses binary files and directories.',
  parameters: jsonSchemaOf(Args),
  readOnly: true,
  argsSchema: Args,
  summarize: (args) => args.path + (args.offset ? `:${args.offset}` : ''),
  touches: (args) => ({ path: args.path, access: 'read' }),
  execute: run,
};
