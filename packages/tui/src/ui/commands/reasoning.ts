import type { SlashCommand } from './types.js';

export const reasoningCommand: SlashCommand = {
  name: 'reasoning',
  usage: '[show|hide]',
  description: "show or hide the model's reasoning",
  run(ctx) {
    const want = ctx.args === 'show' ? true : ctx.args === 'hide' ? false : undefined;
    let now = false;
    ctx.setShowReasoning((shown) => (now = want ?? !shown));
    ctx.print('info', `reasoning ${now ? 'shown' : 'hidden'} (from here on; the scrollback stays as printed)`);
  },
};
