import { attempt, refusedWhileRunning } from './guard.js';
import type { SlashCommand } from './types.js';

/** `/redo`: takes the latest /undo or /rewind back (files and messages), while nothing was sent since. */
export const redoCommand: SlashCommand = {
  name: 'redo',
  aliases: ['unrewind'],
  description: 'take the last /undo or /rewind back: its messages and files return',
  async run(ctx) {
    const t = ctx.snapshot.transcript;
    if (refusedWhileRunning(ctx, 'redo')) return;
    const last = (t.rewinds ?? []).findLast((r) => !r.unrewound);
    if (!last) return ctx.print('info', 'nothing to redo');
    await attempt(ctx, 'redo', () => ctx.store.client.unrewind(ctx.store.sessionId, { rewindId: last.rewindId }));
  },
};
