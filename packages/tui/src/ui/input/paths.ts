import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Completion } from '../views/Completions.js';
import { escapeAtPath, unescapeAtPath } from './attachments.js';

const MAX = 50;

/** The `@path` token before the cursor, if any: where it starts and the partial path (unescaped). */
export function atToken(text: string, cursor: number): { start: number; partial: string } | null {
  const before = text.slice(0, cursor);
  const m = /(^|\s)@((?:[^\s\\]|\\.)*)$/.exec(before);
  if (!m) return null;
  return { start: cursor - m[2]!.length - 1, partial: unescapeAtPath(m[2]!) };
}

/** Entries of the workspace matching a partial path; folders end in `/`. */
export async function completePath(workspace: string, partial: string): Promise<Completion[]> {
  const dirPart = partial.includes('/') ? partial.slice(0, partial.lastIndexOf('/') + 1) : '';
  const base = partial.slice(dirPart.length);
  let entries;
  try {
    entries = await readdir(path.resolve(workspace, dirPart || '.'), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')) && e.name !== 'node_modules')
    .sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name))
    .slice(0, MAX)
    .map((e) => {
      const name = `${dirPart}${e.name}${e.isDirectory() ? '/' : ''}`;
      // Escaped so that a name with spaces is still one @path when the message is sent.
      return { value: `@${escapeAtPath(name)}`, label: `@${name}` };
    });
}
