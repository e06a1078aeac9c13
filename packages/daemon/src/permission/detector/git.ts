/** git subcommands that lose work, rewrite history or make git run other programs. */
import type { Word } from '../shell-parse.js';
import { analysePayload, hasLong, splitArgs, type SplitArgs } from './args.js';
import { GIT_EXEC_KEYS } from './tables.js';
import type { Ctx, Findings } from './types.js';

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
    if (long.some((l) => /^--h(?:a(?:r(?:d)?)?)?$/.test(l)) || hasLong(long, 'merge') || hasLong(long, 'keep'))
      f.add('dangerous', 'git reset --hard (discards uncommitted changes)');
  },
  clean: ({ short, long }, f) => {
    if (short.has('f') || hasLong(long, 'force')) f.add('dangerous', 'git clean -f (deletes untracked files)');
  },
  checkout: ({ texts, operands, short, long }, f) => {
    if (
      texts.includes('--') ||
      operands.includes('.') ||
      short.has('f') ||
      hasLong(long, 'force') ||
      operands.some((o) => o.includes('*'))
    ) {
      f.add('dangerous', 'git checkout that discards local changes');
    }
  },
  restore: ({ short, long, operands }, f) => {
    const worktree = !(short.has('S') || hasLong(long, 'staged')) || short.has('W') || hasLong(long, 'worktree');
    if (worktree && operands.length) f.add('dangerous', 'git restore discards local changes');
  },
  switch: ({ short, long }, f) => {
    if (short.has('f') || hasLong(long, 'discard-changes') || hasLong(long, 'force') || short.has('C'))
      f.add('dangerous', 'git switch that discards changes');
  },
  branch: ({ texts, short, long }, f) => {
    if (
      texts.some((t) => /^-[a-zA-Z]*D/.test(t)) ||
      ((short.has('d') || hasLong(long, 'delete')) && (short.has('f') || hasLong(long, 'force')))
    ) {
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

/** A `key=value` git setting that makes git run a program: flag it and judge the program. */
function execSetting(kv: string, how: string, f: Findings, ctx: Ctx): void {
  if (!GIT_EXEC_KEYS.test(kv)) return;
  f.add('dangerous', `${how} setting that makes git run other programs`);
  const eq = kv.indexOf('=');
  if (eq !== -1) analysePayload(kv.slice(eq + 1).replace(/^!/, ''), f, ctx);
}

/** Options of clone/fetch/pull/push/ls-remote/archive whose value is a program git runs. */
const PROGRAM_OPTIONS = /^--(?:upload-pack|receive-pack|exec)(?:=|$)/;

export function analyseGit(args: Word[], f: Findings, ctx: Ctx): void {
  // Global options before the subcommand: `git -C dir -c k=v push …`.
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    const t = args[i]!.text;
    // `git -c core.hooksPath=… commit` runs whatever the hooks path holds.
    if (t === '-c') execSetting(args[i + 1]?.text ?? '', 'git -c', f, ctx);
    else if (t.startsWith('-c')) execSetting(t.slice(2), 'git -c', f, ctx);
    if (/^--config-env(?:=|$)/.test(t)) f.add('dangerous', 'git --config-env takes a setting from the environment');
    if (t.startsWith('--exec-path=')) f.add('dangerous', 'git --exec-path runs git programs from another folder');
    i += /^-[Cc]$/.test(t) || t === '--git-dir' || t === '--work-tree' || t === '--namespace' ? 2 : 1;
  }
  const sub = args[i]?.text ?? '';
  const rest = args.slice(i + 1);
  const texts = rest.map((w) => w.text);
  texts.forEach((t, k) => {
    if (PROGRAM_OPTIONS.test(t) || (t === '-u' && /^(?:clone|fetch|pull|ls-remote|archive)$/.test(sub))) {
      const v = t.includes('=') ? t.slice(t.indexOf('=') + 1) : texts[k + 1];
      f.add('dangerous', `git ${sub} ${t.split('=')[0]} runs another program`);
      if (v !== undefined) analysePayload(v, f, ctx);
    }
    if (sub === 'clone' && (t === '-c' || t === '--config')) execSetting(texts[k + 1] ?? '', 'git clone --config', f, ctx);
    if (sub === 'clone' && t.startsWith('--config=')) execSetting(t.slice(9), 'git clone --config', f, ctx);
  });
  const check = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  check?.({ ...splitArgs(rest), texts, sub }, f);
  if (sub === 'config') {
    // `git config core.pager 'rm -rf ~'`: the value is the program.
    const ops = splitArgs(rest).operands;
    const k = ops.findIndex((o) => GIT_EXEC_KEYS.test(o));
    if (k !== -1 && ops[k + 1] !== undefined) analysePayload(ops[k + 1]!.replace(/^!/, ''), f, ctx);
  }
}
