import type { SlashCommand } from './types.js';

/** Keys, as `keys  what they do` pairs (printed in two columns that wrap under the second). */
const KEYS: [string, string][] = [
  ['Enter', 'send (while a run is going: queue it, or steer the run with tui.busyInput steer; /steer and /queue choose)'],
  ['Shift+Enter, Alt+Enter, Ctrl+J, \\ Enter', 'a new line'],
  ['↑ ↓, Ctrl+P/N', 'history; ↑ on an empty prompt takes back the last queued message'],
  ['Ctrl+A/E, Ctrl+W, Ctrl+U/K', 'line start/end, delete a word, delete to start/end'],
  ['Ctrl+G', 'edit the draft in $EDITOR'],
  ['Tab', 'complete /commands and @paths (@path attaches a file; @"a b.txt" or @a\\ b.txt)'],
  ['Esc', 'cancel the run; again: clear the queued messages'],
  ['Ctrl+O', "show the last tool's whole output"],
  ['Ctrl+T', 'show or hide the todo plan above the input'],
  ['Ctrl+C', 'clear the draft, else cancel the run, else exit (press twice)'],
  ['Ctrl+D, Ctrl+Z', 'exit on an empty prompt; suspend (fg resumes)'],
];

export function helpCommand(all: () => SlashCommand[]): SlashCommand {
  return {
    name: 'help',
    aliases: ['?'],
    description: 'commands and keys',
    run(ctx) {
      const name = (c: SlashCommand) => `/${c.name}${c.usage ? ' ' + c.usage : ''}`;
      const cmdWidth = Math.max(...all().map((c) => name(c).length));
      const keyWidth = Math.max(...KEYS.map(([k]) => k.length));
      const cmds = all().map((c) => `  ${name(c).padEnd(cmdWidth)}  ${c.description}`);
      const keys = KEYS.map(([k, what]) => `  ${k.padEnd(keyWidth)}  ${what}`);
      ctx.print('plain', ['Commands:', ...cmds, '', 'Keys:', ...keys].join('\n'));
    },
  };
}
