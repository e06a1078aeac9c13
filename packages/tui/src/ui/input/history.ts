import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Draft } from '../keys/editor.js';

export const HISTORY_MAX = 1000;
/** Pasted text kept with a history entry on disk, at most (bigger pastes live for the session only). */
export const HISTORY_PASTE_MAX_CHARS = 256 * 1024;
export const historyPath = (home: string) => path.join(home, 'input_history');

/** A sent draft as typed (with paste placeholders) and the pasted text they stand for. */
export interface HistoryEntry {
  text: string;
  pastes: Record<string, string>;
}

function parseEntry(v: unknown): HistoryEntry | null {
  if (typeof v === 'string') return { text: v, pastes: {} };
  if (typeof v !== 'object' || v === null) return null;
  const { text, pastes } = v as { text?: unknown; pastes?: unknown };
  if (typeof text !== 'string') return null;
  const kept: Record<string, string> = {};
  if (typeof pastes === 'object' && pastes !== null) {
    for (const [k, p] of Object.entries(pastes)) if (typeof p === 'string') kept[k] = p;
  }
  return { text, pastes: kept };
}

/** One JSON value a line (a string, or `{text, pastes}`), so multi-line drafts survive; oldest first. */
export async function loadHistory(home: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(historyPath(home), 'utf8');
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = parseEntry(JSON.parse(line));
      if (e) entries.push(e);
    } catch {
      // A torn last line from a crash: skip it.
    }
  }
  if (entries.length > HISTORY_MAX * 2) {
    // Keep the file from growing without bound; rewriting is rare.
    const kept = entries.slice(-HISTORY_MAX);
    await writeFile(historyPath(home), kept.map(serialize).join(''), { mode: 0o600 }).catch(() => {});
    return kept;
  }
  return entries.slice(-HISTORY_MAX);
}

function serialize(e: HistoryEntry): string {
  const size = Object.values(e.pastes).reduce((n, p) => n + p.length, 0);
  if (Object.keys(e.pastes).length === 0 || size > HISTORY_PASTE_MAX_CHARS) return JSON.stringify(e.text) + '\n';
  return JSON.stringify(e) + '\n';
}

export async function appendHistory(home: string, entry: HistoryEntry): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  await appendFile(historyPath(home), serialize(entry), { mode: 0o600 });
}

/** Where ↑/↓ stand in the history, and the draft they left (↓ past the newest brings it back). */
export interface HistoryCursor {
  index: number;
  saved: HistoryEntry;
}

/** One step through the history; null when there is nowhere to go. */
export function stepHistory(
  h: readonly HistoryEntry[],
  pos: HistoryCursor | null,
  dir: -1 | 1,
  current: HistoryEntry,
): { pos: HistoryCursor | null; entry: HistoryEntry } | null {
  if (h.length === 0 || (!pos && dir === 1)) return null;
  const index = pos ? pos.index + dir : h.length - 1;
  if (index < 0) return null;
  if (index >= h.length) return { pos: null, entry: pos?.saved ?? { text: '', pastes: {} } };
  return { pos: { index, saved: pos?.saved ?? current }, entry: h[index]! };
}

export const draftOf = (e: HistoryEntry): Draft => ({ text: e.text, cursor: e.text.length });
