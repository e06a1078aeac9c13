import { spawn } from 'node:child_process';
import { access, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import ignoreModule, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import * as z from 'zod';
import { displayPath, fsErrorMessage, jsonSchemaOf, looksBinary, resolvePath, ToolError } from './common.js';
import { isWithinFolded } from '../permission/paths.js';
import { targetFor } from './safe-write.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_LINE_CHARS = 500;
/** Files larger than this are skipped (rg gets the same limit). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

const Args = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .describe(
      'content: a regular expression to find in files. files: a glob for file names (e.g. "*.ts"), or plain text a name must contain.',
    ),
  target: z.enum(['content', 'files']).default('content').describe('"content" searches inside files, "files" lists matching file names.'),
  path: z.string().min(1).optional().describe('Folder (or file) to search, relative to the workspace (default: the workspace).'),
  glob: z.string().min(1).optional().describe('Only search files whose path matches this glob (e.g. "*.py", "src/**/*.ts").'),
  limit: z.number().int().positive().optional().describe(`Maximum results (default ${DEFAULT_LIMIT}).`),
});
type Args = z.infer<typeof Args>;

export interface SearchOutcome {
  lines: string[];
  truncated: boolean;
}

/** A glob as rg reads it: without a slash it matches the base name at any depth. */
function globMatcher(glob: string): (rel: string) => boolean {
  const isMatch = picomatch(glob, { dot: true, basename: !glob.includes('/') });
  return (rel) => isMatch(rel);
}

function namePattern(pattern: string): string {
  return /[*?[\]{}]/.test(pattern) ? pattern : `*${pattern}*`;
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}

// `ignore` is CommonJS with `module.exports = factory; factory.default = factory`: under NodeNext
// the default import is module.exports, typed as the namespace. Accept either shape.
const createIgnore: () => Ignore =
  (ignoreModule as unknown as { default?: () => Ignore }).default ?? (ignoreModule as unknown as () => Ignore);

// --- ripgrep -------------------------------------------------------------------------------

let rgPath: Promise<string | null> | undefined;

/** Finds `rg` on PATH once per process. */
export function findRipgrep(env: Readonly<Record<string, string | undefined>> = process.env): Promise<string | null> {
  rgPath ??= (async () => {
    for (const dir of (env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, 'rg');
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
    return null;
  })();
  return rgPath;
}

export async function searchWithRipgrep(rg: string, args: Args, root: string, ctx: ToolContext, limit: number): Promise<SearchOutcome> {
  const argv = [
    '--no-config',
    '--hidden',
    '--no-require-git',
    '--color',
    'never',
    '--sort',
    'path',
    '--max-filesize',
    String(MAX_FILE_BYTES),
    '--glob',
    '!.git',
    '--glob',
    '!node_modules',
  ];
  if (args.target === 'files') {
    // Name filtering happens here, not with a second --glob: rg ORs positive globs, we want AND.
    argv.push('--files');
    if (args.glob) argv.push('--glob', args.glob);
  } else {
    argv.push('--line-number', '--with-filename', '--no-heading', '--null');
    if (args.glob) argv.push('--glob', args.glob);
    argv.push('-e', args.pattern);
  }
  argv.push('--', root);
  return new Promise((resolve, reject) => {
    // An argument array, never a shell string: patterns cannot inject commands.
    const child = spawn(rg, argv, { cwd: ctx.workspace, stdio: ['ignore', 'pipe', 'pipe'], signal: ctx.signal });
    const lines: string[] = [];
    let truncated = false;
    let buf = '';
    let stderr = '';
    const nameMatch = args.target === 'files' ? globMatcher(namePattern(args.pattern)) : null;
    const base = root;
    const skip = skipped(root, ctx);
    const onLine = (raw: string): void => {
      if (!raw || truncated) return;
      const nul = raw.indexOf('\0');
      if (skip.length && skip.some((s) => isWithinFolded(path.resolve(ctx.workspace, nul === -1 ? raw : raw.slice(0, nul)), s))) return;
      if (nameMatch && !nameMatch(path.relative(base, path.resolve(ctx.workspace, raw)).split(path.sep).join('/') || path.basename(raw)))
        return;
      if (lines.length >= limit) {
        truncated = true;
        child.kill();
        return;
      }
      if (args.target === 'files') {
        lines.push(displayPath(ctx.workspace, path.resolve(ctx.workspace, raw)));
      } else {
        if (nul === -1) return;
        const file = displayPath(ctx.workspace, path.resolve(ctx.workspace, raw.slice(0, nul)));
        lines.push(`${file}:${clip(raw.slice(nul + 1))}`);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl = buf.indexOf('\n');
      while (nl !== -1) {
        onLine(buf.slice(0, nl).replace(/\r$/, ''));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      if (stderr.length < 4000) stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (buf) onLine(buf);
      // rg exits 1 for "no matches", 2 for errors (with partial results possible).
      if (code === 2 && !lines.length && !truncated) reject(new Error(stderr.trim() || 'ripgrep failed'));
      else resolve({ lines, truncated });
    });
  });
}

/** Folders inside the search root that are never read (HERMES_HOME in a workspace that holds it). */
function skipped(root: string, ctx: ToolContext): readonly string[] {
  return (ctx.unreadable ?? []).filter((p) => p.toLowerCase() !== root.toLowerCase() && isWithinFolded(p, root));
}

// --- JS fallback ---------------------------------------------------------------------------

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

async function loadIgnore(dir: string): Promise<IgnoreLayer | null> {
  try {
    const text = await readFile(path.join(dir, '.gitignore'), 'utf8');
    return { dir, ig: createIgnore().add(text) };
  } catch {
    return null;
  }
}

/** Applies the layers root-first; a deeper .gitignore overrides (negations included). */
function isIgnored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { dir, ig } of layers) {
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const r = ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** Walks files in path order (like `rg --sort path`), asynchronously, honouring nested .gitignore files. */
async function* walk(root: string, layers: IgnoreLayer[], signal: AbortSignal, skip: readonly string[]): AsyncGenerator<string> {
  const here = await loadIgnore(root);
  const active = here ? [...layers, here] : layers;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return; // unreadable folder: skip, as rg does
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (signal.aborted) return;
    const abs = path.join(root, e.name);
    if (skip.some((s) => isWithinFolded(abs, s))) continue;
    if (e.isDirectory()) {
      if (ALWAYS_SKIPPED.has(e.name) || isIgnored(active, abs, true)) continue;
      yield* walk(abs, active, signal, skip);
    } else if (e.isFile()) {
      if (!isIgnored(active, abs, false)) yield abs;
    }
  }
}

/** .gitignore files between the workspace and the search root apply too, as they do for rg in a repo. */
async function ancestorLayers(workspace: string, root: string): Promise<IgnoreLayer[]> {
  const rel = path.relative(workspace, root);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return [];
  const layers: IgnoreLayer[] = [];
  const parts = rel.split(path.sep);
  // The root's own .gitignore is loaded by walk(); these are the folders above it.
  for (let i = 0; i < parts.length; i++) {
    const layer = await loadIgnore(path.join(workspace, ...parts.slice(0, i)));
    if (layer) layers.push(layer);
  }
  return layers;
}

export async function searchWithNode(args: Args, root: string, ctx: ToolContext, limit: number): Promise<SearchOutcome> {
  const lines: string[] = [];
  const st = await stat(root);
  const nameMatch = args.target === 'files' ? globMatcher(namePattern(args.pattern)) : null;
  const globMatch = args.glob ? globMatcher(args.glob) : null;
  let regex: RegExp | null = null;
  if (args.target === 'content') regex = new RegExp(args.pattern);
  const files: AsyncIterable<string> | string[] = st.isDirectory()
    ? walk(root, await ancestorLayers(ctx.workspace, root), ctx.signal, skipped(root, ctx))
    : [root];
  const base = st.isDirectory() ? root : path.dirname(root);
  for await (const abs of files) {
    if (ctx.signal.aborted) break;
    const rel = path.relative(base, abs).split(path.sep).join('/');
    if (globMatch && !globMatch(rel)) continue;
    const shown = displayPath(ctx.workspace, abs);
    if (nameMatch) {
      if (!nameMatch(rel)) continue;
      if (lines.length >= limit) return { lines, truncated: true };
      lines.push(shown);
      continue;
    }
    let buf: Buffer;
    try {
      if ((await stat(abs)).size > MAX_FILE_BYTES) continue;
      buf = await readFile(abs);
    } catch {
      continue;
    }
    if (looksBinary(buf)) continue;
    const text = buf.toString('utf8').split('\n');
    for (const [i, line] of text.entries()) {
      const l = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (i === text.length - 1 && l === '') break;
      if (!regex!.test(l)) continue;
      if (lines.length >= limit) return { lines, truncated: true };
      lines.push(`${shown}:${i + 1}:${clip(l)}`);
    }
  }
  return { lines, truncated: false };
}

// --- tool ----------------------------------------------------------------------------------

async function run(args: Args, callCtx: ToolContext, useRipgrep = true): Promise<ToolResult> {
  const named = args.path ? resolvePath(callCtx.workspace, args.path, callCtx.env) : callCtx.workspace;
  const shownRoot = displayPath(callCtx.workspace, named);
  const limit = Math.min(args.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  // The search runs on the real root the policy judged; neither rg (no --follow) nor the walk
  // below follows a link found inside it, so it never leaves that folder. Results are shown
  // relative to the workspace's real path.
  let root: string;
  let ctx: ToolContext;
  try {
    root = (await targetFor(named, shownRoot || '.', callCtx)).real;
    ctx = { ...callCtx, workspace: await realpath(callCtx.workspace).catch(() => callCtx.workspace) };
    await stat(root);
  } catch (e) {
    return { ok: false, result: e instanceof ToolError ? e.message : fsErrorMessage(e, shownRoot) };
  }
  if (args.target === 'content') {
    try {
      new RegExp(args.pattern);
    } catch (e) {
      return { ok: false, result: `Invalid regular expression: ${(e as Error).message}` };
    }
  }
  let outcome: SearchOutcome;
  const rg = useRipgrep ? await findRipgrep(ctx.env) : null;
  try {
    if (rg) {
      // rg's regex dialect lacks some JS features (look-around, backreferences): fall back on error.
      outcome = await searchWithRipgrep(rg, args, root, ctx, limit).catch((e: unknown) => {
        if (ctx.signal.aborted) throw e;
        return searchWithNode(args, root, ctx, limit);
      });
    } else {
      outcome = await searchWithNode(args, root, ctx, limit);
    }
  } catch (e) {
    if (ctx.signal.aborted) return { ok: false, result: 'Search cancelled.' };
    return { ok: false, result: `Search failed: ${(e as Error).message}` };
  }
  const what = args.target === 'files' ? 'files' : 'matches';
  if (!outcome.lines.length)
    return {
      ok: true,
      result: `No ${what} for ${JSON.stringify(args.pattern)} in ${shownRoot || '.'}${args.glob ? ` (glob ${args.glob})` : ''}.`,
    };
  const note = outcome.truncated ? `\n[results cut at ${limit} ${what}; narrow the pattern, path or glob, or raise limit]` : '';
  return { ok: true, result: outcome.lines.join('\n') + note };
}

export const searchFilesTool: Tool<typeof Args> & { executeWith(args: Args, ctx: ToolContext, useRipgrep: boolean): Promise<ToolResult> } =
  {
    name: 'search_files',
    description:
      'Search the workspace. target "content": regex search inside files, results as path:line:text. ' +
      'target "files": file names matching a glob. Respects .gitignore; skips .git, node_modules and binary files.',
    parameters: jsonSchemaOf(Args),
    readOnly: true,
    argsSchema: Args,
    summarize: (args) =>
      `${args.target === 'files' ? 'files' : 'grep'} ${args.pattern}${args.path ? ` in ${args.path}` : ''}${args.glob ? ` (${args.glob})` : ''}`,
    touches: (args) => ({ path: args.path ?? '.', access: 'read' }),
    execute: (args, ctx) => run(args, ctx, true),
    executeWith: run,
  };
