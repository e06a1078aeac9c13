import type { SlashCommand } from './types.js';

export const titleCommand: SlashCommand = {
  name: 'title',
  usage: '<title>',
  description: 'rename this session',
  async run(ctx) {
    if (!ctx.args) {
      ctx.print('info', `title: ${ctx.snapshot.transcript.title || '(none yet)'}`);
      return;
    }
    await ctx.store.client.patchSession(ctx.store.sessionId, { title: ctx.args.slice(0, 200) });
  },
};
