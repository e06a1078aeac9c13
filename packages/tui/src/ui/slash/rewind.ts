import type { SlashCommand } from './types.js';

/** `/rewind`: a picker of the user messages; the conversation and/or the files go back to before the chosen one. */
export const rewindCommand: SlashCommand = {
  name: 'rewind',
  description: 'go back to before an earlier message: pick it, then conversation, files or both (or fork from there)',
  run(ctx) {
    if (ctx.snapshot.transcript.activeRunId)
      return ctx.print('warn', 'a run is in progress: /rewind once it has ended (or Esc to cancel it)');
    if (!ctx.snapshot.transcript.items.some((i) => i.kind === 'user')) return ctx.print('info', 'nothing to rewind yet');
    ctx.openRewindPicker();
  },
};
