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
