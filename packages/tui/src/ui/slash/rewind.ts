import { refusedWhileRunning } from './guard.js';
import type { SlashCommand } from './types.js';

/** `/rewind`: a picker of the user messages; the conversation and/or the files go back to before the chosen one. */
export const rewindCommand: SlashCommand = {
  name: 'rewind',
  description: 'go back to before an earlier message: pick it, then conversation, files or both (or fork from there)',
  run(ctx) {
    if (refusedWhileRunning(ctx, 'rewind')) return;
    if (!ctx.snapshot.transcript.items.some((i) => i.kind === 'user')) return ctx.print('info', 'nothing to rewind yet');
    ctx.openRewindPicker();
  },
};
