/** git subcommands that lose work, rewrite history or make git run other programs. */
import type { Word } from '../shell-parse.js';
import { hasLong, splitArgs, type SplitArgs } from './args.js';
import { GIT_EXEC_KEYS } from './tables.js';
import type { Findings } from './types.js';

type SubCheck = (a: SplitArgs & { texts: string[]; sub: string }, f: Findings) => void;

const SUBCOMMANDS: Record<string, SubCheck> = {
  push: ({ short, long, operands }, f) => {
    if (short.has('f') || hasLong(long, 'force', 4) || hasLong(long, 'force-with-lease') || hasLong(long, 'force-if-includes')) {
      f.add('dangerous', 'git force push (rewrites remote history)');
    }
    if (operands.some((o) => o.startsWith('+'))) f.add('dangerous', 'git force push via a +refspec');
    if (hasLong(long, 'mirror') || hasLong(long, 'delete', 3) || short.has('d') || operands.some((o) => /^:./.test(o))) {
      f.add('dangerous', 'git push that deletes remote branches');
    }
    if (hasLong(long, 'prune')) f.add('dangerous', 'git push --prune deletes remote branches');
  },
  reset: ({ long }, f) => {
    if (long.some((l) => /^--h(?:a(?:r(?:d)?)?)?$/.test(l)) || hasLong(long, 'merge') || hasLong(long, 'keep')) f.add('dangerous', 'git reset --hard (discards uncommitted changes)');
  },
  clean: ({ short, long }, f) => {
    if (short.has('f') || hasLong(long, 'force')) f.add('dangerous', 'git clean -f (deletes untracked files)');
  },
  checkout: ({ texts, operands, short, long }, f) => {
    if (texts.includes('--') || operands.includes('.') || short.has('f') || hasLong(long, 'force') || operands.some((o) => o.includes('*'))) {
      f.add('dangerous', 'git checkout that discards local changes');
    }
  },
  restore: ({ short, long, operands }, f) => {
    const worktree = !(short.has('S') || hasLong(long, 'staged')) || short.has('W') || hasLong(long, 'worktree');
    if (worktree && operands.length) f.add('dangerous', 'git restore discards local changes');
  },
  switch: ({ short, long }, f) => {
    if (short.has('f') || hasLong(long, 'discard-changes') || hasLong(long, 'force') || short.has('C')) f.add('dangerous', 'git switch that discards changes');
  },
  branch: ({ texts, short, long }, f) => {
    if (texts.some((t) => /^-[a-zA-Z]*D/.test(t)) || ((short.has('d') || hasLong(long, 'delete')) && (short.has('f') || hasLong(long, 'force')))) {
      f.add('dangerous', 'git branch force delete');
    }
    if (texts.some((t) => /^-[a-zA-Z]*M/.test(t))) f.add('dangerous', 'git branch force rename');
  },
  stash: ({ operands }, f) => {
    if (operands[0] === 'drop' || operands[0] === 'clear') f.add('dangerous', `git stash ${operands[0]} (deletes stashed work)`);
  },
  'filter-branch': ({ sub }, f) => f.add('dangerous', `git ${sub} rewrites history`),
  'filter-repo': ({ sub }, f) => f.add('dangerous', `git ${sub} rewrites history`),
  reflog: ({ operands }, f) => {
    if (operands[0] === 'expire' || operands[0] === 'delete') f.add('dangerous', 'git reflog expire/delete (drops recovery points)');
  },
  'update-ref': ({ short }, f) => {
    if (short.has('d')) f.add('dangerous', 'git update-ref -d deletes a ref');
  },
  gc: ({ long }, f) => {
    if (long.some((l) => /^--prune=now/.test(l))) f.add('dangerous', 'git gc --prune=now drops unreachable commits');
  },
  config: ({ operands }, f) => {
    if (operands.some((o) => GIT_EXEC_KEYS.test(o))) f.add('dangerous', 'git config that makes git run other programs');
  },
};

export function analyseGit(args: Word[], f: Findings): void {
  // Global options before the subcommand: `git -C dir -c k=v push …`.
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    // `git -c core.hooksPath=… commit` runs whatever the hooks path holds.
    if (args[i]!.text === '-c' && GIT_EXEC_KEYS.test(args[i + 1]?.text ?? '')) f.add('dangerous', 'git -c setting that makes git run other programs');
    i += /^-[Cc]$/.test(args[i]!.text) ? 2 : 1;
  }
  const sub = args[i]?.text ?? '';
  const rest = args.slice(i + 1);
  const check = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  check?.({ ...splitArgs(rest), texts: rest.map((w) => w.text), sub }, f);
}
