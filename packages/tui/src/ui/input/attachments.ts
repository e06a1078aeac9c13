import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const ATTACH_MAX_BYTES = 256 * 1024;
/** A paste this big becomes a placeholder in the draft; the text goes in on send. */
export const PASTE_COLLAPSE_LINES = 6;
export const PASTE_COLLAPSE_CHARS = 800;

export function shouldCollapsePaste(text: string): boolean {
  return text.length > PASTE_COLLAPSE_CHARS || text.split('\n').length > PASTE_COLLAPSE_LINES;
}

export function pastePlaceholder(n: number, text: string): string {
  const lines = text.split('\n').length;
  return `[Pasted text #${n}: ${lines} line${lines === 1 ? '' : 's'}]`;
}

const PLACEHOLDER = /\[Pasted text #(\d+): \d+ lines?\]/g;

/** Puts the pasted text back where its placeholders are. */
export function expandPastes(text: string, pastes: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (m, n: string) => pastes[n] ?? m);
}

/** Placeholders whose text is not known (a paste too big to keep in the history file). */
export function missingPastes(text: string, pastes: Readonly<Record<string, string>>): string[] {
  return [...text.matchAll(PLACEHOLDER)].filter((m) => pastes[m[1]!] === undefined).map((m) => m[0]);
}

/** `@path`, `@dir/with\ space.txt` or `@"with space.txt"`. */
const FILE_REF = /(^|\s)@(?:"([^"\n]+)"|((?:[^\s\\"]|\\.)(?:[^\s\\]|\\.)*))/g;

/** How a path is written after `@` so that it reads back as one: spaces (and backslashes) escaped. */
export function escapeAtPath(p: string): string {
  return p.replace(/([\\ ])/g, '\\$1');
}
export function unescapeAtPath(p: string): string {
  return p.replace(/\\(.)/g, '$1');
}

/** Looks like a file name (has a dot or a slash), so an unknown one is worth saying. */
const PATHLIKE = /[./]/;

/**
 * `@path` mentions of files in the workspace: their contents are appended to the message, each
 * in a <file> block, so the model sees them without a tool call.
 */
export async function attachFiles(text: string, workspace: string): Promise<{ text: string; attached: string[]; skipped: string[] }> {
  const attached: string[] = [];
  const skipped: string[] = [];
  const blocks: string[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(FILE_REF)) {
    let rel = m[2] ?? unescapeAtPath(m[3]!).replace(/[.,;:!?)]+$/, '');
    let info = await stat(path.resolve(workspace, rel)).catch(() => null);
    if (!info && m[3] !== undefined) {
      // `@my file.txt` (typed, or from before completion escaped spaces): the words after it may
      // complete the name.
      const after = text
        .slice((m.index ?? 0) + m[0].length)
        .split('\n')[0]!
        .split(/\s+/)
        .filter(Boolean)
        .slice(0, 4);
      for (let k = 1; k <= after.length && !info; k++) {
        const candidate = `${rel} ${after.slice(0, k).join(' ')}`.replace(/[.,;:!?)]+$/, '');
        const found = await stat(path.resolve(workspace, candidate)).catch(() => null);
        if (found?.isFile()) [rel, info] = [candidate, found];
      }
    }
    if (seen.has(rel)) continue;
    seen.add(rel);
    const abs = path.resolve(workspace, rel);
    try {
      if (!info) {
        // An @mention of a person is text; something that looks like a file is never dropped silently.
        if (PATHLIKE.test(rel)) skipped.push(`@${rel} (no such file)`);
        continue;
      }
      if (!info.isFile()) {
        skipped.push(`@${rel} (a folder: only files are attached)`);
        continue;
      }
      if (info.size > ATTACH_MAX_BYTES) {
        skipped.push(`${rel} (over ${ATTACH_MAX_BYTES / 1024} KB)`);
        continue;
      }
      const content = await readFile(abs, 'utf8');
      if (content.includes('\u0000')) {
        skipped.push(`${rel} (binary)`);
        continue;
      }
      blocks.push(`<file path="${rel}">\n${content}${content.endsWith('\n') ? '' : '\n'}</file>`);
      attached.push(rel);
    } catch (err) {
      skipped.push(`@${rel} (${err instanceof Error && 'code' in err ? String(err.code) : 'unreadable'})`);
    }
  }
  return { text: blocks.length ? `${text}\n\n${blocks.join('\n\n')}` : text, attached, skipped };
}
