import { truncate } from '../../format/width.js';
import { span, textWidth, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';

export interface Completion {
  /** What replaces the token being completed. */
  value: string;
  label: string;
  description?: string;
}

/**
 * Completion menu below the input: the selected entry highlighted, a window of at most `max`
 * rows; when not all fit, the last row says which part of how many is shown.
 */
export function completionLines(items: Completion[], index: number, width: number, max: number): Line[] {
  if (items.length === 0 || max <= 0) return [];
  const cut = items.length > max;
  const room = cut ? Math.max(1, max - 1) : max;
  const start = Math.max(0, Math.min(index - Math.floor(room / 2), items.length - room));
  const rows = items.slice(start, start + room).map((c, i): Line => {
    const sel = start + i === index;
    const desc = c.description ? `  ${c.description}` : '';
    const room = width - 4 - textWidth(c.label);
    const d = textWidth(desc) > room ? truncate(desc, Math.max(1, room)) : desc;
    return [span(sel ? '  › ' : '    ', theme.selected), span(c.label, sel ? theme.selected : theme.accent), span(d, theme.dim)];
  });
  if (cut) rows.push([span(`    ${start + 1}–${start + rows.length} of ${items.length} · ↑↓ for more`, theme.dim)]);
  return rows;
}
