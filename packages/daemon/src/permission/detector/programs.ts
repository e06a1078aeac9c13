/** The per-program table: one check per program name, looked up after wrappers and interpreters. */
import type { Word } from '../shell-parse.js';
import { splitArgs } from './args.js';
import { analyseGit } from './git.js';
import type { ProgramCheck } from './program-call.js';
import { FILE_PROGRAMS, mkfs } from './programs-files.js';
import { SYSTEM_PROGRAMS } from './programs-system.js';
import type { Ctx, Findings } from './types.js';

const PROGRAMS: Record<string, ProgramCheck> = {
  ...FILE_PROGRAMS,
  ...SYSTEM_PROGRAMS,
  git: ({ args }, f) => analyseGit(args, f),
};

function lookup(prog: string): ProgramCheck | undefined {
  if (Object.hasOwn(PROGRAMS, prog)) return PROGRAMS[prog];
  if (/^(?:mkfs|newfs_)/.test(prog)) return mkfs;
  return undefined;
}

export function analyseProgram(prog: string, args: Word[], f: Findings, ctx: Ctx): void {
  const check = lookup(prog);
  if (!check) return;
  check({ prog, args, texts: args.map((w) => w.text), ...splitArgs(args) }, f, ctx);
}
