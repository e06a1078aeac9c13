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

/** Puts the pasted text back where its placeholders are. */
export function expandPastes(text: string, pastes: ReadonlyMap<number, string>): string {
  return text.replace(/\[Pasted text #(\d+): \d+ lines?\]/g, (m, n: string) => pastes.get(Number(n)) ?? m);
}

const FILE_REF = /(^|\s)@((?:[^\s\\]|\\ )+)/g;

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
    const rel = m[2]!.replace(/\\ /g, ' ').replace(/[.,;:!?)]+$/, '');
    if (seen.has(rel)) continue;
    seen.add(rel);
    const abs = path.resolve(workspace, rel);
    try {
      const info = await stat(abs);
      if (!info.isFile()) continue;
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
    } catch {
      // Not a file: an @mention of something else; leave it as text.
    }
  }
  return { text: blocks.length ? `${text}\n\n${blocks.join('\n\n')}` : text, attached, skipped };
}
