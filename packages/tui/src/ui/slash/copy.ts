import type { SlashCommand } from './types.js';

export const copyCommand: SlashCommand = {
  name: 'copy',
  description: 'copy the last reply to the clipboard',
  async run(ctx) {
    const last = [...ctx.snapshot.transcript.items].reverse().find((i) => i.kind === 'assistant' && i.text.trim());
    if (!last || last.kind !== 'assistant') {
      ctx.print('info', 'there is no reply to copy yet');
      return;
    }
    const r = await ctx.copyToClipboard(last.text);
    const n = `${last.text.length} characters`;
    ctx.print('info', r.confirmed ? `copied ${n} ${r.how}` : `sent ${n} to the clipboard ${r.how} (the terminal gives no confirmation)`);
  },
};
