import type { Todo } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { createRegistry } from './registry.js';
import { todoWriteTool } from './todo-write.js';
import type { ToolContext } from './types.js';

function ctx(plans: Todo[][]): ToolContext {
  return {
    workspace: '/nowhere',
    env: {},
    signal: new AbortController().signal,
    onOutput: () => undefined,
    updatePlan: async (t) => void plans.push(t),
  };
}
const registry = createRegistry([todoWriteTool]);

describe('todo_write', () => {
  it('replaces the plan with the whole list and reads it back to the model', async () => {
    const plans: Todo[][] = [];
    const todos = [
      { content: 'Read the code', status: 'completed' },
      { content: 'Fix it', status: 'in_progress' },
      { content: 'Test it', status: 'pending' },
    ];
    const r = await registry.runTool('todo_write', { todos }, ctx(plans));
    expect(r.ok).toBe(true);
    expect(plans).toEqual([todos]);
    expect(r.result).toContain('(1/3 completed)');
    expect(r.result).toContain('[x] Read the code\n[~] Fix it\n[ ] Test it');
    const cleared = await registry.runTool('todo_write', { todos: [] }, ctx(plans));
    expect(cleared).toMatchObject({ ok: true, result: 'The todo list is now empty.' });
    expect(plans.at(-1)).toEqual([]);
  });

  it('refuses what a model gets wrong, with a message it can act on, and keeps the plan', async () => {
    const plans: Todo[][] = [];
    const cases: unknown[] = [
      {
        todos: [
          { content: 'a', status: 'in_progress' },
          { content: 'b', status: 'in_progress' },
        ],
      },
      { todos: [{ content: 'a', status: 'done' }] },
      { todos: [{ content: 'a' }] },
      { todos: [{ content: '', status: 'pending' }] },
      { todos: 'a, b, c' },
      { todos: [], merge: true },
      {},
      null,
    ];
    for (const args of cases) {
      const r = await registry.runTool('todo_write', args, ctx(plans));
      expect(r.ok, JSON.stringify(args)).toBe(false);
      expect(r.result.length).toBeGreaterThan(10);
    }
    expect(plans).toEqual([]);
  });

  it("accepts Claude Code's extra fields (id, priority, activeForm) and keeps only content and status", async () => {
    const plans: Todo[][] = [];
    const r = await registry.runTool(
      'todo_write',
      { todos: [{ content: 'a', status: 'pending', priority: 'high', id: '1', activeForm: 'Doing a' }] },
      ctx(plans),
    );
    expect(r.ok).toBe(true);
    expect(plans).toEqual([[{ content: 'a', status: 'pending' }]]);
  });

  it('is read-only for the policy (no approval) and says it is a plan in cards', () => {
    expect(todoWriteTool.readOnly).toBe(true);
    expect(
      todoWriteTool.summarize({
        todos: [
          { content: 'a', status: 'completed' },
          { content: 'b', status: 'pending' },
        ],
      }),
    ).toBe('plan 1/2 · ○ b');
    expect(todoWriteTool.parameters).toMatchObject({ type: 'object', required: ['todos'] });
  });
});
