import path from 'node:path';

/** How deep `@file` imports may nest. */
export const MAX_IMPORT_DEPTH = 5;

export interface ImportContext {
  /** Reads a file's text, or null when it does not exist / is not a file. */
  read(file: string): Promise<string | null>;
  /** Imports must stay inside this folder (the project root); none: anywhere (the global file). */
  boundary?: string;
  home?: string;
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');

/**
 * Expands lines that are only `@path` (outside fenced code) into that file's text, recursively
 * up to depth 5; a cycle, a missing file or a path outside the boundary becomes a comment.
 * Paths are relative to the importing file; `~/` is the home folder.
 */
export async function expandImports(text: string, file: string, ctx: ImportContext, stack: string[] = [file]): Promise<string> {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (f[1]!.startsWith(fence)) fence = null;
      out.push(line);
      continue;
    }
    const m = fence === null ? /^\s*@(\S+)\s*$/.exec(line) : null;
    if (!m) {
      out.push(line);
      continue;
    }
    const ref = m[1]!;
    const target = ref.startsWith('~/') && ctx.home ? path.join(ctx.home, ref.slice(2)) : path.resolve(path.dirname(file), ref);
    if (ctx.boundary && !within(target, ctx.boundary)) out.push(`<!-- import refused (outside the project): ${ref} -->`);
    else if (stack.includes(target)) out.push(`<!-- import skipped (cycle): ${ref} -->`);
    else if (stack.length > MAX_IMPORT_DEPTH) out.push(`<!-- import skipped (more than ${MAX_IMPORT_DEPTH} levels deep): ${ref} -->`);
    else {
      const body = await ctx.read(target);
      if (body === null) out.push(`<!-- import not found: ${ref} -->`);
      else out.push((await expandImports(body, target, ctx, [...stack, target])).replace(/\n+$/, ''));
    }
  }
  return out.join('\n');
}
