import { formatTokens } from '../../format/tokens.js';
import type { SlashCommand } from './types.js';

export const instructionsCommand: SlashCommand = {
  name: 'instructions',
  aliases: ['memory'],
  description: 'the instruction files (AGENTS.md & co) the agent read',
  run(ctx) {
    const t = ctx.snapshot.transcript;
    const files = t.instructions ?? [];
    const nested = t.attachedInstructions ?? [];
    if (files.length === 0 && nested.length === 0) {
      ctx.print(
        'info',
        'no instruction files loaded yet (they are read at each run: HERMES_HOME/AGENTS.md, then AGENTS.md & co from the project root down; /init writes one)',
      );
      return;
    }
    const lines = files.map((f) => `${f.scope ?? 'project'}  ${f.path} · ${formatTokens(f.bytes)} bytes${f.truncated ? ' (cut)' : ''}`);
    for (const p of nested) lines.push(`nested   ${p} (attached to a tool result)`);
    ctx.print('plain', lines.join('\n'));
  },
};
