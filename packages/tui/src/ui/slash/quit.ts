import type { SlashCommand } from './types.js';

export const quitCommand: SlashCommand = {
  name: 'quit',
  aliases: ['exit', 'q'],
  description: 'leave (the session and any run keep going in the daemon)',
  run(ctx) {
    ctx.exit();
  },
};
