import type { SlashCommand } from './types.js';

/** `/steer TEXT`: into the run in progress at its next step (no run: it just runs). */
export const steerCommand: SlashCommand = {
  name: 'steer',
  usage: '<text>',
  description: 'steer the running reply: the message joins it after its current tool calls',
  async run(ctx) {
    if (!ctx.args) return ctx.print('info', 'usage: /steer <text> (joins the run in progress after its current tool calls)');
    await ctx.send(ctx.args, 'steer');
  },
};

/** `/queue TEXT`: after the run in progress (what Enter does unless `tui.busyInput` is steer). */
export const queueCommand: SlashCommand = {
  name: 'queue',
  usage: '<text>',
  description: 'queue a message to run after the running reply',
  async run(ctx) {
    if (!ctx.args) return ctx.print('info', 'usage: /queue <text> (runs after the run in progress)');
    await ctx.send(ctx.args, 'queue');
  },
};
