import type { SlashCommand } from './types.js';

/** `/redo`: takes the latest /undo or /rewind back (files and messages), while nothing was sent since. */
export const redoCommand: SlashCommand = {
  name: 'redo',
  aliases: ['unrewind'],
  description: 'take the last /undo or /rewind back: its messages and files return',
  async run(ctx) {
    const t = ctx.snapshot.transcript;
    if (t.activeRunId) return ctx.print('warn', 'a run is in progress: /redo once it has ended');
    const last = (t.rewinds ?? []).findLast((r) => !r.unrewound);
    if (!last) return ctx.print('info', 'nothing to redo');
    try {
      await ctx.store.client.unrewind(ctx.store.sessionId, { rewindId: last.rewindId });
    } catch (err) {
      ctx.print('error', `could not redo: ${(err as Error).message}`);
    }
  },
};
