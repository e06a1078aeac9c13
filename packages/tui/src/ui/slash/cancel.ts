import type { SlashCommand } from './types.js';

export const cancelCommand: SlashCommand = {
  name: 'cancel',
  aliases: ['stop'],
  description: 'cancel the running reply (Esc does the same)',
  async run(ctx) {
    const cancelled = await ctx.store.cancel();
    if (!cancelled) ctx.print('info', 'nothing is running');
  },
};
