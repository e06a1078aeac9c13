/** Reading a command's words: flags vs operands, keyword and assignment prefixes, write targets. */
import type { Word } from '../shell-parse.js';
import { resolveIn, sensitiveWriteReason } from './paths.js';
import { HERMES_HOME_REASON, inHermesHome } from './secrets.js';
import { KEYWORDS } from './tables.js';
import type { Ctx, Findings } from './types.js';

export interface SplitArgs {
  short: Set<string>;
  long: string[];
  operands: string[];
}

/** Splits words into short flag letters, long flags and operands (GNU permutes: flags may follow operands). */
export function splitArgs(args: Word[]): SplitArgs {
  const short = new Set<string>();
  const long: string[] = [];
  const operands: string[] = [];
  let endOfOpts = false;
  for (const w of args) {
    const t = w.text;
    if (!endOfOpts && t === '--') endOfOpts = true;
    else if (!endOfOpts && t.startsWith('--') && t.length > 2) long.push(t);
    else if (!endOfOpts && t.startsWith('-') && t.length > 1) for (const ch of t.slice(1)) short.add(ch);
    else operands.push(t);
  }
  return { short, long, operands };
}

/** True when a long flag spells `--name` or an unambiguous prefix of at least `minPrefix` letters (GNU). */
export function hasLong(long: string[], name: string, minPrefix = name.length): boolean {
  return long.some((l) => {
    const bare = l.split('=')[0] ?? l;
    return bare.length - 2 >= minPrefix && name.startsWith(bare.slice(2));
  });
}

/** Drops `{`, `!`, `if`/`then`/`do`… keywords and leading `VAR=value` assignments. */
export function stripPrefix(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (!w.quoted && KEYWORDS.has(w.text)) i++;
    else if (w.assign || (!w.quoted && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w.text))) i++;
    else break;
  }
  return words.slice(i);
}

export function checkWriteTarget(target: string, how: string, f: Findings, ctx: Ctx): void {
  const path = resolveIn(target, ctx.cwd);
  const r = sensitiveWriteReason(path, ctx.home);
  if (r) f.add(r.level, how ? `${r.reason} (${how})` : r.reason);
  if (inHermesHome(path, ctx)) f.add('dangerous', HERMES_HOME_REASON);
}

/** Runs the analysis on a shell string that another program will execute (`bash -c`, `eval`). */
export function analysePayload(payload: string, f: Findings, ctx: Ctx): void {
  if (ctx.carried) ctx.carried.value = true;
  f.merge(ctx.analyser.text(payload, { ...ctx, depth: ctx.depth + 1 }));
}
