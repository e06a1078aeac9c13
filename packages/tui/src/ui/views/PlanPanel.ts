import type { Todo } from '@hermes/protocol';
import { planFinished, planSummary, planTitle, planToggleHint, TODO_MARK } from '../../format/plan.js';
import { truncate } from '../../format/width.js';
import { sanitize, span, textWidth, type Line } from '../text/lines.js';
import { theme, type Style } from '../theme/theme.js';

export interface PlanPanelOptions {
  width: number;
  collapsed: boolean;
  /** Rows the panel may take, its header included. */
  maxRows: number;
  /** A run is going: a finished plan stays until it ends. */
  running: boolean;
}

const STYLE: Record<Todo['status'], Style> = { completed: theme.dim, in_progress: theme.accent, pending: (s) => s };

/** Whether the panel is shown at all: a plan with work left, or one the running turn just finished. */
export function planVisible(todos: readonly Todo[] | undefined, running: boolean): boolean {
  return todos !== undefined && todos.length > 0 && (running || !planFinished(todos));
}

function row(t: Todo, width: number): Line {
  const text = sanitize(t.content).replace(/\s+/g, ' ');
  const room = Math.max(1, width - 6);
  return [
    span(`    ${TODO_MARK[t.status]} `, STYLE[t.status]),
    span(textWidth(text) > room ? truncate(text, room) : text, STYLE[t.status]),
  ];
}

/**
 * The plan above the input: a header with the progress (`☰ plan 2/5`) and one row a todo, or
 * (collapsed) the header with the current item only. A list longer than the room shows a
 * window around the current item with counts of what is above and below.
 */
export function planLines(todos: readonly Todo[], o: PlanPanelOptions): Line[] {
  if (!planVisible(todos, o.running)) return [];
  const hint = span(` · ${planToggleHint(o.collapsed)}`, theme.dim);
  if (o.collapsed || o.maxRows < 2) {
    const text = planSummary(todos);
    const room = Math.max(1, o.width - 4 - textWidth(hint.text));
    return [[span('  ☰ ', theme.accent), span(textWidth(text) > room ? truncate(text, room) : text), hint]];
  }
  const head: Line = [span('  ☰ ', theme.accent), span(planTitle(todos), theme.accent), hint];
  const room = o.maxRows - 1;
  if (todos.length <= room) return [head, ...todos.map((t) => row(t, o.width))];
  // Keep the current item in view, one done item above it when there is room.
  const shown = Math.max(1, room - 2);
  const current = Math.max(
    0,
    todos.findIndex((t) => t.status !== 'completed'),
  );
  const start = Math.max(0, Math.min(current - 1, todos.length - shown));
  const end = Math.min(todos.length, start + shown);
  const out: Line[] = [head];
  if (start > 0) out.push([span(`    … ${start} above`, theme.dim)]);
  out.push(...todos.slice(start, end).map((t) => row(t, o.width)));
  if (end < todos.length) out.push([span(`    … ${todos.length - end} more`, theme.dim)]);
  return out.slice(0, o.maxRows);
}
