import { clampBottom, sanitize, span, wrapLine, type Line } from '../layout/lines.js';
import { theme } from '../theme/theme.js';

/** A unified diff, coloured by line kind, collapsed after `max` rows. */
export function diffLines(diff: string, width: number, max: number, indent = '  '): Line[] {
  const rows: Line[] = [];
  for (const raw of sanitize(diff).replace(/\n$/, '').split('\n')) {
    if (raw.startsWith('diff ') || raw.startsWith('index ')) continue;
    const style = raw.startsWith('+++') || raw.startsWith('---')
      ? theme.dim
      : raw.startsWith('+')
        ? theme.added
        : raw.startsWith('-')
          ? theme.removed
          : raw.startsWith('@@')
            ? theme.hunk
            : undefined;
    rows.push(...wrapLine([span(indent), span(raw, style)], width, [span(indent + ' ')]));
  }
  return clampBottom(rows, max, theme.dim, 'diff lines');
}
