import { displayWidth, graphemes } from '../../format/width.js';
import type { Style } from '../theme/theme.js';
import { sanitize } from '../../format/sanitize.js';

/** A run of text in one style. The UI lays everything out as lines of spans, wrapped by us, so
 * we know exactly how many rows the live region takes (Ink must never see it taller than the screen). */
export interface Span {
  text: string;
  style?: Style;
}
export type Line = Span[];

/** Columns a grapheme or a string takes (one library for the whole command: see format/width). */
export const charWidth = displayWidth;
export const textWidth = displayWidth;

export function lineWidth(line: Line): number {
  return line.reduce((n, s) => n + textWidth(s.text), 0);
}

export const span = (text: string, style?: Style): Span => (style ? { text, style } : { text });
export const plain = (text: string, style?: Style): Line => [span(text, style)];

// One sanitizer for every terminal-bound text (the TUI's rows and `send`'s lines).
export { sanitize };

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f]/u;
/**
 * Break opportunities: a word with the spaces after it, or a single Han/kana character (Chinese
 * and Japanese put no spaces between words, so a row may break after any of them; Korean does
 * use spaces and wraps by word).
 */
const TOKENS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f]\s*|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f]+\s*|\s+/gu;

/** One unbreakable word (its pieces may differ in style: `**bold**,`) and the spaces after it. */
interface Unit {
  word: Span[];
  space: Span[];
}

function units(line: Line): Unit[] {
  const out: Unit[] = [];
  for (const s of line) {
    for (const m of s.text.match(TOKENS) ?? []) {
      const word = m.trimEnd();
      const space = m.slice(word.length);
      const cur = out[out.length - 1];
      if (word) {
        const prev = cur?.word[cur.word.length - 1]?.text ?? '';
        // A word continues across a style change (`code`, or **bold**.) unless CJK sits at the seam.
        if (cur && cur.space.length === 0 && prev && !CJK.test(prev.slice(-1)) && !CJK.test(word[0]!)) cur.word.push(span(word, s.style));
        else out.push({ word: [span(word, s.style)], space: [] });
      } else if (!cur) out.push({ word: [], space: [] });
      if (space) out[out.length - 1]!.space.push(span(space, s.style));
    }
  }
  return out;
}

/**
 * Wraps one logical line to `width` columns, at break opportunities where it can, hard (by
 * grapheme) otherwise. `indent` prefixes continuation rows (list items, quotes). A space at a
 * wrap point is consumed; every other space is kept, also after a word that had to be split.
 */
export function wrapLine(line: Line, width: number, indent: Line = []): Line[] {
  const w = Math.max(1, width);
  const indentW = lineWidth(indent);
  const rows: Line[] = [];
  let row: Line = [];
  let rowW = 0;
  const push = (text: string, style: Style | undefined) => {
    if (!text) return;
    const last = row[row.length - 1];
    if (last && last.style === style) last.text += text;
    else row.push(span(text, style));
    rowW += textWidth(text);
  };
  const newRow = () => {
    rows.push(row);
    row = indent.map((s) => ({ ...s }));
    rowW = indentW;
  };
  const pushAll = (spans: Span[]) => spans.forEach((s) => push(s.text, s.style));
  for (const u of units(line)) {
    const ww = lineWidth(u.word);
    if (rowW + ww > w && rowW > indentW && ww <= w - indentW) newRow();
    if (rowW + ww <= w) pushAll(u.word);
    else {
      // A word longer than the row: split it by graphemes, filling the current row first.
      for (const piece of u.word) {
        let chunk = '';
        let chunkW = 0;
        for (const g of graphemes(piece.text)) {
          const gw = textWidth(g);
          if (rowW + chunkW + gw > w && (chunk || rowW > indentW)) {
            push(chunk, piece.style);
            chunk = '';
            chunkW = 0;
            newRow();
          }
          chunk += g;
          chunkW += gw;
        }
        push(chunk, piece.style);
      }
    }
    // The spaces after it: kept when they fit, else they are the wrap point.
    for (const sp of u.space) if (rowW + textWidth(sp.text) <= w) push(sp.text, sp.style);
  }
  rows.push(row);
  // Trailing spaces at a wrap point are invisible but count for nothing: trim them.
  return rows.map((r) => {
    const last = r[r.length - 1];
    if (last && rows.length > 1) last.text = last.text.replace(/\s+$/, '');
    return r;
  });
}

export function wrapLines(lines: Line[], width: number): Line[] {
  return lines.flatMap((l) => wrapLine(l, width));
}

/** Text with newlines, in one style, wrapped. */
export function textLines(text: string, width: number, style?: Style, indent: Line = []): Line[] {
  return sanitize(text)
    .split('\n')
    .flatMap((l) => wrapLine(plain(l, style), width, indent));
}

/** Controls no span's text may carry to the terminal (a style adds its own sequences around the text). */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

/**
 * A row as the terminal gets it. Every row on screen passes here, so this is where a control
 * sequence from model or tool text is dropped for sure, whatever view forgot to `sanitize` it.
 */
export function toAnsi(line: Line): string {
  return line
    .map((s) => {
      const text = s.text.replace(CONTROL, '');
      return s.style && text ? s.style(text) : text;
    })
    .join('');
}

export function linesToAnsi(lines: Line[]): string {
  return lines.map(toAnsi).join('\n');
}

/**
 * Keeps at most `max` rows, cutting from the top (the newest text is at the bottom) and saying
 * how much was cut.
 */
export function clampTop(lines: Line[], max: number, hiddenStyle?: Style): Line[] {
  if (max <= 0) return [];
  if (lines.length <= max) return lines;
  const keep = lines.slice(lines.length - (max - 1));
  return [plain(`… ${lines.length - keep.length} lines hidden`, hiddenStyle), ...keep];
}

/** Keeps the first `max` rows, saying how many more there were. */
export function clampBottom(lines: Line[], max: number, moreStyle?: Style, what = 'lines'): Line[] {
  if (lines.length <= max) return lines;
  const keep = lines.slice(0, Math.max(0, max - 1));
  return [...keep, plain(`… ${lines.length - keep.length} more ${what}`, moreStyle)];
}
