import { displayWidth, padEnd, truncate } from './width.js';

export { displayWidth, padEnd, truncate };

export interface Column {
  header: string;
  /** Cut cells to this width. */
  max?: number;
  align?: 'left' | 'right';
}

/** A plain-text table: a header row, then the rows, columns two spaces apart, no trailing blanks. */
export function renderTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((r) =>
    r.map((cell, i) => {
      const flat = cell.replace(/\s+/g, ' ');
      const max = columns[i]?.max;
      return max ? truncate(flat, max) : flat;
    }),
  );
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
