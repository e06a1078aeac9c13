import type { ReasoningMode } from '../views/messages/assistant.js';
import type { SlashCommand } from './types.js';

const MODES: Record<string, ReasoningMode> = {
  full: 'full',
  show: 'full',
  collapsed: 'collapsed',
  short: 'collapsed',
  hide: 'hidden',
  hidden: 'hidden',
  off: 'hidden',
};

export const reasoningCommand: SlashCommand = {
  name: 'reasoning',
  usage: '[full|collapsed|hide]',
  description: "how the model's reasoning shows: a few lines (default), in full, or hidden",
  run(ctx) {
    const asked = ctx.args ? MODES[ctx.args.toLowerCase()] : undefined;
    if (ctx.args && !asked) {
      ctx.print('error', `/reasoning takes full, collapsed or hide (got "${ctx.args}")`);
      return;
    }
    // Without an argument: between a few lines and all of it.
    ctx.setReasoning((m) => {
      const mode: ReasoningMode = asked ?? (m === 'collapsed' ? 'full' : 'collapsed');
      const what = mode === 'full' ? 'shown in full' : mode === 'collapsed' ? 'collapsed to a few lines' : 'hidden';
      ctx.print('info', `reasoning ${what} from here on (the scrollback stays as printed)`);
      return mode;
    });
  },
};
