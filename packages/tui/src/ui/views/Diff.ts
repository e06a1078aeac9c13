import { truncate } from '../../format/width.js';
import { sanitize, span, textWidth, wrapLine, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';

/** `--- a//home/x` (an absolute path given the a/ prefix) reads as `--- /home/x`. */
function header(raw: string): string {
  return raw.replace(/^(---|\+\+\+) [ab]\/(\/)/, '$1 $2');
}

/** A unified diff, coloured by line kind, collapsed after `max` rows (the rest counted, inside the card). */
export function diffLines(diff: string, width: number, max: number, indent = '  '): Line[] {
  const rows: Line[] = [];
  for (const raw of sanitize(diff).replace(/\n$/, '').split('\n')) {
    // Headers that say nothing here: `diff --git`, `index`, `Index:` and the `=====` rule.
    if (raw.startsWith('diff ') || raw.startsWith('index ') || raw.startsWith('Index: ') || /^={3,}$/.test(raw)) continue;
    const style =
      raw.startsWith('+++') || raw.startsWith('---')
        ? theme.dim
        : raw.startsWith('+')
          ? theme.added
          : raw.startsWith('-')
            ? theme.removed
            : raw.startsWith('@@')
              ? theme.hunk
              : undefined;
    rows.push(...wrapLine([span(indent, theme.border), span(header(raw), style)], width, [span(indent + ' ', theme.border)]));
  }
  if (rows.length <= max) return rows;
  const keep = rows.slice(0, Math.max(0, max - 1));
  // The "… N more" row stays inside the card, and inside the width.
  const more = `… ${rows.length - keep.length} more diff lines · Ctrl+O shows all`;
  return [...keep, [span(indent, theme.border), span(truncate(more, Math.max(1, width - textWidth(indent))), theme.dim)]];
}
