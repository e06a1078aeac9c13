import { TODO_MARK, planSummary, type Todo } from '@hermes/protocol';

/**
 * The one wording of the todo plan (`todo_write`), for the TUI's panel, `hermes send`'s stderr
 * lines, tool cards and `sessions show`.
 */

// The plan's one-line wording is the protocol's: the daemon's todo_write summary says it too.
export { TODO_MARK, planCurrent, planFinished, planSummary, planTitle } from '@hermes/protocol';

/** The key that shows or hides the TUI's plan panel, as its hint names it. */
export const PLAN_TOGGLE_KEY = 'ctrl+t';
export const planToggleHint = (collapsed: boolean) => `${PLAN_TOGGLE_KEY} ${collapsed ? 'shows the plan' : 'hides the plan'}`;

export interface PlanChange {
  todo: Todo;
  /** `removed`: in the previous list, not in this one. */
  change: 'added' | 'status' | 'removed';
}

/**
 * What changed from `prev` to `next`, items matched by their text: new items, items whose
 * status moved, items dropped. With no previous plan every item is new.
 */
export function planChanges(prev: readonly Todo[] | null, next: readonly Todo[]): PlanChange[] {
  const before = new Map((prev ?? []).map((t) => [t.content, t.status]));
  const out: PlanChange[] = [];
  for (const t of next) {
    const was = before.get(t.content);
    if (was === undefined) out.push({ todo: t, change: 'added' });
    else if (was !== t.status) out.push({ todo: t, change: 'status' });
  }
  const now = new Set(next.map((t) => t.content));
  for (const t of prev ?? []) if (!now.has(t.content)) out.push({ todo: t, change: 'removed' });
  return out;
}

/** A todo as a row: `✔ Read the parser`, `✗ Old step (removed)`. */
export function todoRow(t: Todo, removed = false): string {
  return removed ? `✗ ${t.content} (removed)` : `${TODO_MARK[t.status]} ${t.content}`;
}

/** A `todo_write` call's arguments in one line, for tool cards and `send` (malformed lists say so). */
export function todoArgsSummary(raw: unknown): string {
  if (!Array.isArray(raw)) return 'plan';
  const todos = raw.filter(
    (t): t is Todo =>
      typeof t === 'object' &&
      t !== null &&
      typeof (t as Todo).content === 'string' &&
      Object.hasOwn(TODO_MARK, String((t as Todo).status)),
  );
  return todos.length === raw.length ? planSummary(todos) : `plan (${raw.length} items, some malformed)`;
}
