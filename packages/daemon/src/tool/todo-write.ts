import { TodoList, planProgress, planSummary, type Todo } from '@hermes/protocol';
import * as z from 'zod';
import { jsonSchemaOf } from './common.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const Args = z.strictObject({
  todos: TodoList.describe('The whole list.'),
});
type Args = z.infer<typeof Args>;

// Worded after Claude Code's TodoWrite, which models are trained to use well.
const DESCRIPTION = `Keep a todo list for the current task; the user sees it as the plan. Use it for work of 3 or more steps or several requests, not for trivial ones. Send the whole list each time (it replaces the last; [] clears it). Mark an item in_progress before starting it (one at a time) and completed as soon as it is fully done; add items for what is left.`;

const MARK: Record<Todo['status'], string> = { pending: '[ ]', in_progress: '[~]', completed: '[x]' };

/** The list as the model reads it back: one line an item, with the progress. */
export function renderTodos(todos: readonly Todo[]): string {
  if (todos.length === 0) return 'The todo list is now empty.';
  const { done, total } = planProgress(todos);
  return [`Todo list updated (${done}/${total} completed):`, ...todos.map((t) => `${MARK[t.status]} ${t.content}`)].join('\n');
}

export const todoWriteTool: Tool<typeof Args> = {
  name: 'todo_write',
  description: DESCRIPTION,
  parameters: jsonSchemaOf(Args),
  // No effect outside the session: no approval, and it may run beside reads.
  readOnly: true,
  argsSchema: Args,
  summarize: (args) => planSummary(args.todos),
  async execute(args: Args, ctx: ToolContext): Promise<ToolResult> {
    const active = args.todos.filter((t) => t.status === 'in_progress').length;
    if (active > 1) {
      return {
        ok: false,
        result: `Invalid todo list: ${active} items are in_progress; at most one may be. Send the list again with one in_progress item.`,
      };
    }
    if (!ctx.updatePlan) return { ok: false, result: 'todo_write is not available here (no session to keep the plan).' };
    await ctx.updatePlan(args.todos);
    const reminder = args.todos.some((t) => t.status !== 'completed')
      ? '\nKeep using todo_write to track progress; go on with the current item.'
      : '';
    return { ok: true, result: renderTodos(args.todos) + reminder };
  },
};
