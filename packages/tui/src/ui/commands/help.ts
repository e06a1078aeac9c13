import type { SlashCommand } from './types.js';

const KEYS = [
  'Enter send · Shift+Enter, Alt+Enter, Ctrl+J or a trailing \\ add a line · ↑↓ history',
  'Ctrl+A/E line start/end · Ctrl+W delete word · Ctrl+U/K delete to start/end · Ctrl+G edit in $EDITOR',
  '@path attaches a file (Tab completes) · Tab completes /commands',
  'Esc cancels the run · Ctrl+C clears the draft, else cancels the run, else exits (press twice) · Ctrl+D on empty input exits',
  'While a run is going, Enter queues the message.',
];

export function helpCommand(all: () => SlashCommand[]): SlashCommand {
  return {
    name: 'help',
    aliases: ['?'],
    description: 'commands and keys',
    run(ctx) {
      const width = Math.max(...all().map((c) => `/${c.name}${c.usage ? ' ' + c.usage : ''}`.length));
      const cmds = all().map((c) => `  ${`/${c.name}${c.usage ? ' ' + c.usage : ''}`.padEnd(width)}  ${c.description}`);
      ctx.print('plain', ['Commands:', ...cmds, '', 'Keys:', ...KEYS.map((k) => `  ${k}`)].join('\n'));
    },
  };
}
