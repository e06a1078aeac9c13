import { Buffer } from 'node:buffer';
import * as z from 'zod';
import { countLines, displayPath, fileEdit, jsonSchemaOf, resolvePath, ToolError, unifiedDiff } from './common.js';
import type { ResolvedTarget } from './resolve.js';
import { planAndWrite, readTextForEdit, targetFor } from './safe-write.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const Args = z.strictObject({
  path: z.string().min(1).describe('File to write, relative to the workspace or absolute. Missing folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});
type Args = z.infer<typeof Args>;

async function plan(
  args: Args,
  ctx: ToolContext,
): Promise<{ target: ResolvedTarget; shown: string; before: string | null; mode?: number; diff: string }> {
  const abs = resolvePath(ctx.workspace, args.path, ctx.env);
  const shown = displayPath(ctx.workspace, abs);
  const target = await targetFor(abs, shown, ctx);
  let existing: Awaited<ReturnType<typeof readTextForEdit>>;
  try {
    existing = await readTextForEdit(target.real, shown);
  } catch (e) {
    // A binary or huge file may still be overwritten; only the diff is lost.
    if (e instanceof ToolError && /binary|too large/.test(e.message)) return { target, shown, before: null, diff: '' };
    throw e;
  }
  return {
    target,
    shown,
    before: existing?.text ?? null,
    mode: existing?.mode,
    diff: unifiedDiff(shown, existing?.text ?? '', args.content),
  };
}

async function run(args: Args, ctx: ToolContext): Promise<ToolResult> {
  const done = await planAndWrite(
    args.path,
    () => plan(args, ctx),
    () => args.content,
  );
  if (!done.ok) return done;
  const p = done.plan;
  const bytes = Buffer.byteLength(args.content);
  const verb = p.before === null ? 'Created' : 'Wrote';
  const unchanged = p.before === args.content ? ' (content unchanged)' : '';
  return {
    ok: true,
    result: `${verb} ${p.shown}: ${bytes} bytes, ${countLines(args.content)} lines${unchanged}.`,
    diff: p.diff || undefined,
  };
}

export const writeFileTool: Tool<typeof Args> = {
  name: 'write_file',
  description:
    'Create or overwrite a file with the given content (atomically; parent folders are created). For small changes to an existing file prefer patch.',
  parameters: jsonSchemaOf(Args),
  readOnly: false,
  argsSchema: Args,
  ...fileEdit(plan),
  execute: run,
};
