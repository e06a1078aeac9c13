import type { Style } from '../theme/theme.js';

/** A run of text in one style. The UI lays everything out as lines of spans, wrapped by us, so
 * we know exactly how many rows the live region takes (Ink must never see it taller than the screen). */
export interface Span {
  text: string;
  style?: Style;
}
export type Line = Span[];

const ZERO_WIDTH = /\p{Mn}|\p{Me}|\p{Cf}|[\u200b-\u200f]|[\ufe00-\ufe0f]/u;
const WIDE = /[\p{Extended_Pictographic}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

export function lineWidth(line: Line): number {
  return line.reduce((n, s) => n + textWidth(s.text), 0);
}

export const span = (text: string, style?: Style): Span => (style ? { text, style } : { text });
export const plain = (text: string, style?: Style): Line => [span(text, style)];

/** Tabs and stray control characters would break the row arithmetic: make them visible text. */
export function sanitize(text: string): string {
  return text.replace(/\t/g, '    ').replace(/\r(?!\n)/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/**
 * Wraps one logical line to `width` columns, at spaces where it can, hard otherwise. `indent`
 * prefixes continuation rows (list items, quotes).
 */
export function wrapLine(line: Line, width: number, indent: Line = []): Line[] {
  const w = Math.max(1, width);
  const indentW = lineWidth(indent);
  const rows: Line[] = [];
  let row: Line = [];
  let rowW = 0;
  // Tokens: words and the spaces after them, each in its span's style.
  const tokens: Span[] = [];
  for (const s of line) {
    for (const part of s.text.match(/\S+\s*|\s+/g) ?? []) tokens.push(span(part, s.style));
  }
  const push = (t: Span) => {
    const last = row[row.length - 1];
    if (last && last.style === t.style) last.text += t.text;
    else row.push({ ...t });
    rowW += textWidth(t.text);
  };
  const newRow = () => {
    rows.push(row);
    row = indent.map((s) => ({ ...s }));
    rowW = indentW;
  };
  for (const tok of tokens) {
    const tw = textWidth(tok.text);
    const word = tok.text.trimEnd();
    const ww = textWidth(word);
    if (rowW + ww <= w) {
      push(rowW + tw <= w ? tok : span(word, tok.style));
      continue;
    }
    if (rowW > indentW && ww <= w - indentW) {
      newRow();
      push(rowW + tw <= w ? tok : span(word, tok.style));
      continue;
    }
    // A word longer than the row: split it by characters.
    let chunk = '';
    let chunkW = 0;
    for (const ch of word) {
      const cw = charWidth(ch);
      if (rowW + chunkW + cw > w) {
        if (chunk) push(span(chunk, tok.style));
        chunk = '';
        chunkW = 0;
        if (rowW > indentW || rowW + cw > w) newRow();
      }
      chunk += ch;
      chunkW += cw;
    }
    if (chunk) push(span(chunk, tok.style));
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

export function toAnsi(line: Line): string {
  return line.map((s) => (s.style && s.text ? s.style(s.text) : s.text)).join('');
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
