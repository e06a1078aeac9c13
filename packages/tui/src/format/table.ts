/** Display width of a string: wide (CJK, emoji) characters count two, combining marks zero. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 32 || (cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Cuts a string to a display width, with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export interface Column {
  header: string;
  /** Cut cells to this width. */
  max?: number;
  align?: 'left' | 'right';
}

/** A plain-text table: a header row, then the rows, columns two spaces apart, no trailing blanks. */
export function renderTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((r) => r.map((cell, i) => {
    const flat = cell.replace(/\s+/g, ' ');
    const max = columns[i]?.max;
    return max ? truncate(flat, max) : flat;
  }));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const w = widths[i]!;
        if (columns[i]?.align === 'right') return ' '.repeat(Math.max(0, w - displayWidth(cell))) + cell;
        return i === r.length - 1 ? cell : padEnd(cell, w);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}
