/** Shapes shared by the detector's modules. */
import type { Word } from '../shell-parse.js';

export type RiskLevel = 'safe' | 'dangerous' | 'hardline';

export interface CommandAssessment {
  level: RiskLevel;
  reasons: string[];
  /**
   * The rule a `session` / `always` answer would allow. For one simple command it is that
   * command in canonical form (`rm -rf build`); for compound or nested commands it is the exact
   * normalised command text, matched only verbatim (so an answer never widens to the other
   * parts of a chain). Absent when no rule is safe to offer: hardline, or a command whose
   * effect changes between runs (downloads piped into a shell, dynamic command names).
   */
  pattern?: string;
  /** True when the command is more than one simple command (or nests others): rules match it only verbatim. */
  compound: boolean;
}

export interface DetectorOptions {
  /** The user's home directory, to recognise `/home/me/.ssh` like `~/.ssh`. */
  home?: string;
  /** The daemon's HERMES_HOME, when it is not `~/.hermes`. */
  hermesHome?: string;
}

export const LEVEL_RANK: Record<RiskLevel, number> = { safe: 0, dangerous: 1, hardline: 2 };

export function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

export interface Finding {
  level: Exclude<RiskLevel, 'safe'>;
  reason: string;
  /** The command's effect is not fixed by its text: never offer a reusable rule. */
  unstable?: boolean;
}

export class Findings {
  readonly list: Finding[] = [];
  add(level: Finding['level'], reason: string, unstable = false): void {
    if (!this.list.some((f) => f.reason === reason && f.level === level)) this.list.push({ level, reason, unstable });
  }
  merge(other: Findings): void {
    for (const f of other.list) this.add(f.level, f.reason, f.unstable);
  }
}

/**
 * The analysis entry points, handed down so that modules judging one program can judge the
 * commands it runs (`find -exec`, `bash -c`) without importing the analyser (no import cycle).
 */
export interface Analyser {
  /** Judges shell text another program will run. */
  text(text: string, ctx: Ctx): Findings;
  /** Judges one simple command given as words (e.g. what `find -exec` runs). */
  words(words: Word[], ctx: Ctx): Findings;
}

export interface Ctx {
  home?: string;
  hermesHome?: string;
  /**
   * Where the command runs after a `cd` earlier in the same list: a `~/…` or `/…` path, a
   * workspace-relative one, undefined for the workspace itself, null when it cannot be known.
   */
  cwd?: string | null;
  depth: number;
  /** Set when some text is run by another program (`bash -c`, `eval`, `find -exec`): not a plain command. */
  carried?: { value: boolean };
  analyser: Analyser;
  /** Shared by the whole assessment: bounds the work adversarial nesting can cause. */
  budget: { steps: number };
}
