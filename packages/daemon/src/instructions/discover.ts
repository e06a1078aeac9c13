import { lstat, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Names tried in each folder; the first that exists wins. */
export const DEFAULT_INSTRUCTION_FILES = ['.hermes.md', 'HERMES.md', 'AGENTS.md', 'CLAUDE.md'] as const;

/** Larger files are not read at all (they are cut to 32 KiB anyway). */
const MAX_READ_BYTES = 1024 * 1024;

/** A regular file's text (links followed), or null. */
export async function readTextFile(file: string): Promise<string | null> {
  try {
    const s = await stat(file);
    if (!s.isFile() || s.size > MAX_READ_BYTES) return null;
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/** The project root: the nearest folder at or above the workspace with a `.git` (folder or file); none: the workspace. */
export async function projectRoot(workspace: string): Promise<string> {
  let dir = path.resolve(workspace);
  for (;;) {
    if (await exists(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(workspace);
    dir = up;
  }
}

/** The folders from `root` down to `leaf`, both included (`leaf` must be inside `root`). */
export function foldersBetween(root: string, leaf: string): string[] {
  const rel = path.relative(root, leaf);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [leaf];
  const parts = rel ? rel.split(path.sep) : [];
  return [root, ...parts.map((_, i) => path.join(root, ...parts.slice(0, i + 1)))];
}

/** The instruction file of one folder: the first name that exists as a file. */
export async function instructionFileIn(dir: string, names: readonly string[]): Promise<string | null> {
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if ((await stat(file)).isFile()) return file;
    } catch {
      // next name
    }
  }
  return null;
}
