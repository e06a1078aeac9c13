import { attempt, refusedWhileRunning } from './guard.js';
import type { SlashCommand } from './types.js';

/** `/retry`: the last reply goes (and the files its run changed come back), and the same message runs again. */
export const retryCommand: SlashCommand = {
  name: 'retry',
  usage: '[keep-files]',
  description: 'run your last message again: its reply is hidden and its file edits undone (keep-files: leave them)',
  async run(ctx) {
    const t = ctx.snapshot.transcript;
    if (refusedWhileRunning(ctx, 'retry')) return;
    if (ctx.args && ctx.args !== 'keep-files') return ctx.print('info', 'usage: /retry [keep-files]');
    if (!t.items.some((i) => i.kind === 'user')) return ctx.print('info', 'nothing to retry yet');
    await attempt(ctx, 'retry', () =>
      ctx.store.client.retry(ctx.store.sessionId, { mode: ctx.args === 'keep-files' ? 'conversation' : 'both' }),
    );
  },
};
