/** The per-program table: one check per program name, looked up after wrappers and interpreters. */
import type { SimpleCommand, Word } from '../shell-parse.js';
import { splitArgs } from './args.js';
import { BUILTINS } from './builtins.js';
import { analyseGit } from './git.js';
import type { ProgramCheck } from './program-call.js';
import { EXEC_AND_HERMES_PROGRAMS } from './programs-exec.js';
import { FILE_PROGRAMS, mkfs } from './programs-files.js';
import { SYSTEM_PROGRAMS } from './programs-system.js';
import type { Ctx, Findings } from './types.js';

/** Several tables may judge one program (tar extracts files and may run commands): all apply. */
const TABLES: readonly Record<string, ProgramCheck>[] = [
  FILE_PROGRAMS,
  SYSTEM_PROGRAMS,
  EXEC_AND_HERMES_PROGRAMS,
  BUILTINS,
  { git: ({ args }, f, ctx) => analyseGit(args, f, ctx) },
];

function lookup(prog: string): ProgramCheck[] {
  const checks = TABLES.filter((t) => Object.hasOwn(t, prog)).map((t) => t[prog]!);
  if (/^(?:mkfs|newfs_)/.test(prog)) checks.push(mkfs);
  return checks;
}

/** Every program name some table judges (to resolve globbed command names like `/bin/r?`). */
export const KNOWN_PROGRAMS: readonly string[] = [...new Set(TABLES.flatMap((t) => Object.keys(t)))];

export function analyseProgram(prog: string, args: Word[], cmd: SimpleCommand, f: Findings, ctx: Ctx): void {
  for (const check of lookup(prog)) check({ prog, args, texts: args.map((w) => w.text), ...splitArgs(args), cmd }, f, ctx);
}
