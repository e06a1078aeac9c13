import { truncate } from '../../format/width.js';
import { span, textWidth, type Line } from '../layout/lines.js';
import { theme } from '../theme/theme.js';

export interface Completion {
  /** What replaces the token being completed. */
  value: string;
  label: string;
  description?: string;
}

/** Completion menu below the input: the selected entry highlighted, a window of at most `max`. */
export function completionLines(items: Completion[], index: number, width: number, max: number): Line[] {
  if (items.length === 0 || max <= 0) return [];
  const start = Math.max(0, Math.min(index - Math.floor(max / 2), items.length - max));
  return items.slice(start, start + max).map((c, i) => {
    const sel = start + i === index;
    const desc = c.description ? `  ${c.description}` : '';
    const room = width - 4 - textWidth(c.label);
    const d = textWidth(desc) > room ? truncate(desc, Math.max(1, room)) : desc;
    return [span(sel ? '  › ' : '    ', theme.selected), span(c.label, sel ? theme.selected : theme.accent), span(d, theme.dim)];
  });
}
