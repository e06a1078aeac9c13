import type { SlashCommand } from './types.js';

export const sessionsCommand: SlashCommand = {
  name: 'sessions',
  aliases: ['resume', 'switch'],
  description: 'pick another session to continue',
  async run(ctx) {
    await ctx.openPicker();
  },
};
