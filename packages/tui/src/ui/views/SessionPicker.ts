import type { SessionSummary } from '@hermes/protocol';
import { relativeTime } from '../../format/time.js';
import { truncate } from '../../format/width.js';
import { span, textWidth, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';

/** The /sessions picker: a window of the list around the selection. */
export function pickerLines(
  sessions: SessionSummary[],
  index: number,
  currentId: string,
  width: number,
  maxRows: number,
  now = Date.now(),
  find: { filter: string; total: number | null; loading: boolean } = { filter: '', total: null, loading: false },
): Line[] {
  const count =
    find.total === null
      ? find.loading
        ? '  …'
        : ''
      : `  ${sessions.length < find.total ? `${sessions.length} of ${find.total}` : find.total}`;
  const head: Line = find.filter
    ? [span('Switch session', theme.accent), span(`  filter: ${find.filter}▏`), span(`${count} · Backspace edits · Esc close`, theme.dim)]
    : [span('Switch session', theme.accent), span(`${count}  type to filter · ↑↓ choose · Enter open · Esc close`, theme.dim)];
  const out: Line[] = [head];
  if (sessions.length === 0)
    return [...out, [span(find.loading ? '  loading…' : find.filter ? '  no session matches' : '  no sessions', theme.dim)]];
  const room = Math.max(1, maxRows - 1);
  const start = Math.max(0, Math.min(index - Math.floor(room / 2), sessions.length - room));
  sessions.slice(start, start + room).forEach((s, i) => {
    const at = start + i;
    const sel = at === index;
    const status = s.status === 'idle' ? '' : ` [${s.status.replace('_', ' ')}]`;
    const count = s.messageCount !== undefined ? ` · ${s.messageCount} msg${s.messageCount === 1 ? '' : 's'}` : '';
    const tail = `  ${relativeTime(s.updatedAt, now)}${count}${status}${s.id === currentId ? ' (this one)' : ''}`;
    // The id is what `hermes attach` and `sessions show` take; it goes first when space is short.
    const id = `  ${s.id}`;
    const room2 = width - 2 - textWidth(tail);
    const withId = textWidth(id) + 8 <= room2;
    const title = truncate(s.title || 'untitled', Math.max(2, room2 - (withId ? textWidth(id) : 0)));
    out.push([
      span(sel ? '› ' : '  ', theme.selected),
      span(title, sel ? theme.selected : undefined),
      span(tail, theme.dim),
      ...(withId ? [span(id, theme.dim)] : []),
    ]);
  });
  return out;
}
