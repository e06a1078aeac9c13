import { ApiError } from '../../client/errors.js';
import { rewindLine } from '../../format/rewind.js';
import type { SlashCommand } from './types.js';

/** `/undo`: rewinds the last user message (conversation and files); its text comes back into the input. */
export const undoCommand: SlashCommand = {
  name: 'undo',
  description: 'undo the last message: hide it and its reply, put back the files its run changed',
  async run(ctx) {
    if (ctx.snapshot.transcript.activeRunId) {
      ctx.print('warn', 'a run is in progress: /undo once it has ended (or Esc to cancel it)');
      return;
    }
    const last = ctx.snapshot.transcript.items.findLast((i) => i.kind === 'user');
    if (!last || last.kind !== 'user') {
      ctx.print('warn', 'nothing to undo');
      return;
    }
    try {
      const r = await ctx.store.rewind(last.messageId, 'both');
      ctx.print(r.skipped.length ? 'warn' : 'plain', rewindLine(r));
      if (r.text !== undefined) ctx.setDraft(r.text);
    } catch (err) {
      ctx.print(
        'error',
        err instanceof ApiError && err.status === 409
          ? 'a run is in progress: /undo once it has ended'
          : `could not undo: ${(err as Error).message}`,
      );
    }
  },
};
