import { ApiError } from '../../client/errors.js';
import { compactionLine } from '../../format/compaction.js';
import { commandFailedText, runInProgressText } from '../../format/slash.js';
import { refusedWhileRunning } from './guard.js';
import type { SlashCommand } from './types.js';

export const compactCommand: SlashCommand = {
  name: 'compact',
  usage: '[focus]',
  description: 'summarise the history now to free context (optionally: what to keep in focus)',
  async run(ctx) {
    if (refusedWhileRunning(ctx, 'compact')) return;
    ctx.print('plain', 'compacting the context…');
    try {
      const r = await ctx.store.compact(ctx.args || undefined);
      // Success shows as the divider the events bring; a failure is said here too.
      if (r.status === 'failed')
        ctx.print(
          'warn',
          compactionLine({
            trigger: 'manual',
            status: 'failed',
            tokensBefore: r.tokensBefore,
            ...(r.error ? { error: { ...r.error, retryable: false } } : {}),
          }),
        );
    } catch (err) {
      ctx.print('error', err instanceof ApiError && err.status === 409 ? runInProgressText('compact') : commandFailedText('compact', err));
    }
  },
};
