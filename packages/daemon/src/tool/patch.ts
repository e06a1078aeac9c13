import * as z from 'zod';
import { displayPath, fileEdit, jsonSchemaOf, resolvePath, ToolError, unifiedDiff } from './common.js';
import type { ResolvedTarget } from './resolve.js';
import { planAndWrite, readTextForEdit, targetFor } from './safe-write.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const Args = z.strictObject({
  path: z.string().min(1).describe('File to edit, relative to the workspace or absolute.'),
  old_string: z
    .string()
    .min(1, 'old_string must not be empty')
    .describe('Exact text to replace, including whitespace and indentation. Must be unique unless replace_all.'),
  new_string: z.string().describe('Replacement text.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of requiring exactly one.'),
});
type Args = z.infer<typeof Args>;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function occurrences(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) at.push(i);
  return at;
}

/** Where `needle` would match if runs of whitespace were ignored: a hint for near misses. */
function whitespaceInsensitiveLine(text: string, needle: string): number | null {
  const tokens = needle.trim().split(/\s+/).filter(Boolean);
  if (!tokens.length) return null;
  const re = new RegExp(tokens.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  const m = re.exec(text);
  return m ? lineOf(text, m.index) : null;
}

async function plan(
  args: Args,
  ctx: ToolContext,
): Promise<{ target: ResolvedTarget; shown: string; after: string; mode: number; count: number; diff: string }> {
  const abs = resolvePath(ctx.workspace, args.path, ctx.env);
  const shown = displayPath(ctx.workspace, abs);
  const target = await targetFor(abs, shown, ctx);
  const file = await readTextForEdit(target.real, shown);
  if (!file) throw new ToolError(`File not found: ${shown}. Use write_file to create a new file.`);
  if (args.old_string === args.new_string) throw new ToolError('old_string and new_string are identical; nothing to change.');
  let { old_string: oldS, new_string: newS } = args;
  let at = occurrences(file.text, oldS);
  // Files with CRLF endings: the model almost always sends LF.
  if (!at.length && file.text.includes('\r\n') && oldS.includes('\n') && !oldS.includes('\r\n')) {
    oldS = oldS.replace(/\n/g, '\r\n');
    newS = newS.replace(/\r?\n/g, '\r\n');
    at = occurrences(file.text, oldS);
  }
  if (!at.length) {
    const near = whitespaceInsensitiveLine(file.text, args.old_string);
    const hint =
      near !== null
        ? ` A match exists near line ${near} when whitespace is ignored: check indentation, tabs vs spaces and trailing spaces, and copy the text exactly (read_file shows it).`
        : ' Read the file again to see its current content.';
    throw new ToolError(`old_string was not found in ${shown}.${hint}`);
  }
  if (at.length > 1 && !args.replace_all) {
    const lines = at.slice(0, 10).map((i) => lineOf(file.text, i));
    throw new ToolError(
      `old_string was found ${at.length} times in ${shown} (lines ${lines.join(', ')}${at.length > 10 ? ', …' : ''}). Add surrounding context to make it unique, or set replace_all to change every occurrence.`,
    );
  }
  // split/join, not String.replace: `$&` and friends in new_string must stay literal.
  const after = file.text.split(oldS).join(newS);
  return { target, shown, after, mode: file.mode, count: at.length, diff: unifiedDiff(shown, file.text, after) };
}

async function run(args: Args, ctx: ToolContext): Promise<ToolResult> {
  const done = await planAndWrite(
    args.path,
    () => plan(args, ctx),
    (p) => p.after,
  );
  if (!done.ok) return done;
  const p = done.plan;
  return { ok: true, result: `Replaced ${p.count} occurrence${p.count === 1 ? '' : 's'} in ${p.shown}.\n${p.diff}`, diff: p.diff };
}

export const patchTool: Tool<typeof Args> = {
  name: 'patch',
  description:
    'Edit a file by replacing an exact string. old_string must match the file exactly (whitespace included) and be unique, ' +
    'unless replace_all is set. Returns a unified diff.',
  parameters: jsonSchemaOf(Args),
  readOnly: false,
  argsSchema: Args,
  ...fileEdit(plan),
  execute: run,
};
