/** The shape a per-program check receives. */
import type { SimpleCommand, Word } from '../shell-parse.js';
import type { Ctx, Findings } from './types.js';

export interface ProgramCall {
  prog: string;
  args: Word[];
  /** The arguments' texts. */
  texts: string[];
  short: Set<string>;
  long: string[];
  operands: string[];
  /** The simple command it is part of (its heredocs and redirects). */
  cmd: SimpleCommand;
}

export type ProgramCheck = (call: ProgramCall, f: Findings, ctx: Ctx) => void;

/** One check for several program names. */
export function each(names: readonly string[], check: ProgramCheck): Record<string, ProgramCheck> {
  return Object.fromEntries(names.map((n) => [n, check]));
}
