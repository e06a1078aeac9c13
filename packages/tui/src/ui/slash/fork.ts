import { forkAt } from './rewind-actions.js';
import { refusedWhileRunning } from './guard.js';
import type { SlashCommand } from './types.js';

/** `/fork [N]`: a new session with this conversation (before user message N with N), in the same workspace. */
export const forkCommand: SlashCommand = {
  name: 'fork',
  usage: '[N]',
  description: 'continue in a new session with this conversation (N: from before your Nth message); same workspace',
  async run(ctx) {
    const t = ctx.snapshot.transcript;
    if (refusedWhileRunning(ctx, 'fork')) return;
    const users = t.items.filter((i) => i.kind === 'user');
    let at: string | undefined;
    if (ctx.args) {
      const n = /^\d+$/.test(ctx.args) ? Number(ctx.args) : NaN;
      const target = users[n - 1];
      if (!target || target.kind !== 'user')
        return ctx.print('info', `usage: /fork [N], N from 1 to ${users.length} (your messages, oldest first)`);
      at = target.messageId;
    }
    await forkAt(ctx, at);
  },
};
