import type { SlashCommand } from './types.js';

export const copyCommand: SlashCommand = {
  name: 'copy',
  description: 'copy the last reply to the clipboard (OSC 52)',
  run(ctx) {
    const last = [...ctx.snapshot.transcript.items].reverse().find((i) => i.kind === 'assistant' && i.text.trim());
    if (!last || last.kind !== 'assistant') {
      ctx.print('info', 'there is no reply to copy yet');
      return;
    }
    ctx.copyToClipboard(last.text);
    ctx.print('info', `copied ${last.text.length} characters (your terminal must allow OSC 52)`);
  },
};
