import type { SlashCommand } from './types.js';

export const newCommand: SlashCommand = {
  name: 'new',
  aliases: ['clear'],
  description: 'start a new session (same workspace and model)',
  async run(ctx) {
    const t = ctx.snapshot.transcript;
    const { session } = await ctx.store.client.createSession({
      ...(t.workspace ? { workspace: t.workspace } : {}),
      ...(t.model ? { model: t.model } : {}),
    });
    await ctx.store.switchTo(session.id);
  },
};
