import { rewindTo } from './rewind-actions.js';
import type { SlashCommand } from './types.js';

/** `/undo`: rewinds the last user message (conversation and files); its text comes back into the input. */
export const undoCommand: SlashCommand = {
  name: 'undo',
  description: 'undo the last message: hide it and its reply, put back the files its run changed (/redo takes it back)',
  async run(ctx) {
    const last = ctx.snapshot.transcript.items.findLast((i) => i.kind === 'user');
    if (!ctx.snapshot.transcript.activeRunId && (!last || last.kind !== 'user')) return ctx.print('warn', 'nothing to undo');
    await rewindTo(ctx, last?.kind === 'user' ? last.messageId : '', 'both', 'undo');
  },
};
