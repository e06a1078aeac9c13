/** The rule text an approval may offer for a command. */
import type { CommandList } from '../shell-parse.js';

function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./~^-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The canonical text of a list that is exactly one simple command with no nesting, else null. */
export function singleCommandText(list: CommandList): string | null {
  if (list.pipelines.length !== 1) return null;
  const cmds = list.pipelines[0]!.commands;
  if (cmds.length !== 1) return null;
  const cmd = cmds[0]!;
  if (cmd.nested.length || cmd.heredocs.length) return null;
  if (cmd.words.some((w) => w.dynamic || w.proc) || cmd.redirects.some((r) => r.target.dynamic)) return null;
  const parts = cmd.words.map((w) => shellQuote(w.text));
  for (const r of cmd.redirects) parts.push(r.op, shellQuote(r.target.text));
  return parts.join(' ');
}
