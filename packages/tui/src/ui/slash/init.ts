import { INIT_PROMPT } from './init-prompt.js';
import type { SlashCommand } from './types.js';

export const initCommand: SlashCommand = {
  name: 'init',
  description: 'ask the agent to write an AGENTS.md for this project',
  async run(ctx) {
    await ctx.store.send(INIT_PROMPT);
  },
};
