import * as z from 'zod';

/** A todo's state; at most one should be `in_progress` at a time (the tool's description says so). */
export const TodoStatus = z.enum(['pending', 'in_progress', 'completed']);
export type TodoStatus = z.infer<typeof TodoStatus>;

/** Bounds of a plan: enough for any real task, small enough that the plan never bloats a request. */
export const MAX_TODOS = 50;
export const MAX_TODO_CHARS = 500;

export const Todo = z.object({
  content: z.string().trim().min(1, 'a todo needs some content').max(MAX_TODO_CHARS),
  status: TodoStatus,
});
export type Todo = z.infer<typeof Todo>;

/** The whole list, as `todo_write` sends it each time (an empty list clears the plan). */
export const TodoList = z.array(Todo).max(MAX_TODOS);
export type TodoList = z.infer<typeof TodoList>;

/** The session's current plan: the last `plan.updated`, and where it came from. */
export const SessionPlan = z.object({
  todos: TodoList,
  seq: z.number(),
  /** The `todo_write` call that set it. */
  toolCallId: z.string().optional(),
});
export type SessionPlan = z.infer<typeof SessionPlan>;

/** Progress of a plan: completed out of all. */
export function planProgress(todos: readonly Todo[]): { done: number; total: number } {
  return { done: todos.filter((t) => t.status === 'completed').length, total: todos.length };
}

/** The plan's one-line wording, shared by the daemon's `todo_write` summary and every client. */
export const TODO_MARK: Record<TodoStatus, string> = { completed: '✔', in_progress: '◐', pending: '○' };

/** `plan 2/5`. */
export function planTitle(todos: readonly Todo[]): string {
  const { done, total } = planProgress(todos);
  return `plan ${done}/${total}`;
}

/** The item being worked on: the one in progress, else the first still pending. */
export function planCurrent(todos: readonly Todo[]): Todo | undefined {
  return todos.find((t) => t.status === 'in_progress') ?? todos.find((t) => t.status === 'pending');
}

/** A plan nobody needs to see any more: empty, or every item done. */
export function planFinished(todos: readonly Todo[]): boolean {
  return todos.every((t) => t.status === 'completed');
}

/** One line: `plan 2/5 · ◐ Fix the parser` (or `plan 5/5 · all done`). */
export function planSummary(todos: readonly Todo[]): string {
  if (todos.length === 0) return 'plan cleared';
  const current = planCurrent(todos);
  return `${planTitle(todos)} · ${current ? `${TODO_MARK[current.status]} ${current.content}` : 'all done'}`;
}
