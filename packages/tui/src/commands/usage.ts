import { CommanderError, InvalidArgumentError, type Command } from 'commander';

/**
 * How the command line reports its own misuse: exit 2 (as `send` documents), with a pointer to
 * the help of the subcommand that was misused, not the top-level one.
 */
export const USAGE_EXIT = 2;

/** A whole number ≥ 0, for flags like `-n`; anything else is a usage error naming the flag. */
export function intArg(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('Expected a whole number (0 or more).');
  return Number.parseInt(v, 10);
}

/** `hermes sessions show`, for the help hint. */
function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command's errors end with `(run \`hermes <that command> --help\` for usage)`. */
export function pointErrorsToHelp(cmd: Command): void {
  cmd.showHelpAfterError(`(run \`${fullName(cmd)} --help\` for usage)`);
  for (const sub of cmd.commands) pointErrorsToHelp(sub);
}

/** The exit code for an error commander threw under `exitOverride` (it has printed the message). */
export function commanderExitCode(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
  if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
  return USAGE_EXIT;
}

export { CommanderError };

/** Optimal string alignment distance: edits, with a swap of two neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The command a lone word was probably meant to be (`sesions` → `sessions`), or null when it
 * reads as a message (`hermes hello` starts a chat). Names of four letters allow one slip, longer
 * ones two; shorter ones none.
 */
export function typoOf(word: string, commands: readonly string[]): string | null {
  const w = word.toLowerCase();
  if (!/^[a-z][a-z-]{1,20}$/.test(w) || commands.includes(w)) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of commands) {
    // Three letters or fewer (acp): too many ordinary words are one edit away.
    if (name.length < 4) continue;
    const dist = editDistance(w, name);
    const allowed = name.length <= 4 ? 1 : 2;
    if (dist <= allowed && dist < bestDistance) {
      best = name;
      bestDistance = dist;
    }
  }
  return best;
}

/** Every name and alias a command answers to. */
export function commandNames(cmd: Command): string[] {
  return cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]);
}
