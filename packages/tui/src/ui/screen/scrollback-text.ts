import type { StaticEntry } from '../store/scrollback.js';
import { linesToAnsi, span, toAnsi, type Line } from '../text/lines.js';
import type { ReasoningMode } from '../views/messages/assistant.js';
import { entryLines } from './entries.js';

/**
 * The rows one scrollback entry prints, as Ink's <Static> is given them: an empty row is a
 * space, so that Ink gives it a row of its own (it trims it again when it writes).
 */
export function entryRows(e: StaticEntry, width: number, reasoning: ReasoningMode): Line[] {
  return entryLines(e, width, reasoning).map((l) => (l.length ? l : [span(' ')]));
}

/** One entry as the text of an Ink <Text> (no rows: null, Ink prints nothing for it). */
export function entryText(e: StaticEntry, width: number, reasoning: ReasoningMode): string | null {
  const rows = entryRows(e, width, reasoning);
  return rows.length ? linesToAnsi(rows) : null;
}

/**
 * What <Static> prints for these entries, written straight to the terminal: the same rows in
 * the same styles (a test compares both on an emulated screen), without Ink's layout, its grid
 * of styled cells and its ANSI re-tokenizing, which made the first screen of a long session
 * (`hermes attach`) several times slower than printing it.
 */
export function scrollbackText(entries: readonly StaticEntry[], width: number, reasoning: ReasoningMode): string {
  const out: string[] = [];
  // Trailing plain spaces trimmed, as Ink trims each row it writes (styled ones end in a code and stay).
  for (const e of entries) for (const row of entryLines(e, width, reasoning)) out.push(toAnsi(row).trimEnd());
  return out.length ? `${out.join('\n')}\n` : '';
}
