/**
 * Dangerous-command detection. Pure: no I/O, no globals read.
 *
 * Commands are normalised, parsed into simple commands (see shell-parse.ts), unwrapped
 * (`sudo`, `env`, `timeout`, `bash -c`, `eval`, `xargs`, …) and then judged per program with
 * the words the shell would really run. Regexes over the raw string are avoided on purpose:
 * they are what quoting, `$IFS`, wrappers and chaining bypass (Claude Code #4956, Gemini CLI
 * #11510). Quoted arguments are data (`echo "rm -rf /"` runs nothing), but whatever a shell
 * would execute (`$(…)`, backticks, `<(…)`, `bash -c '…'`, `eval`, heredocs into a shell) is
 * parsed and judged like a top-level command.
 *
 * Levels: `safe` runs without asking; `dangerous` asks; `hardline` is refused even in yolo
 * mode: only things with no recovery path (wiping `/` or home, formatting or overwriting a
 * disk, fork bombs).
 */
import { parseShell } from '../shell-parse.js';
import { analyser, analyseText } from './analyse.js';
import { normalizeCommand } from './normalize.js';
import { singleCommandText } from './pattern.js';
import { lexicalAbs, sensitiveWriteReason } from './paths.js';
import { LEVEL_RANK, maxLevel, type CommandAssessment, type Ctx, type DetectorOptions, type RiskLevel } from './types.js';

export { normalizeCommand } from './normalize.js';
export { isSensitiveEnvFile, sensitiveWriteReason } from './paths.js';
export { maxLevel } from './types.js';
export type { CommandAssessment, DetectorOptions, RiskLevel } from './types.js';

/**
 * Judges a shell command. Never throws. The level is the worst of every simple command the
 * shell would run, including nested and wrapped ones.
 */
export function assessCommand(command: string, options: DetectorOptions = {}): CommandAssessment {
  const carried = { value: false };
  const ctx: Ctx = { home: options.home, hermesHome: options.hermesHome, depth: 0, carried, analyser, budget: { steps: 2_000 } };
  const findings = analyseText(command, ctx);
  let level: RiskLevel = 'safe';
  for (const f of findings.list) level = maxLevel(level, f.level);
  // Worst first, so prompts and refusals lead with what matters.
  const reasons = [...findings.list].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]).map((f) => f.reason);
  const norm = normalizeCommand(command);
  let single: string | null = null;
  try {
    single = singleCommandText(parseShell(norm));
  } catch {
    single = null;
  }
  const compound = single === null || carried.value;
  const unstable = findings.list.some((f) => f.unstable);
  const pattern = level === 'hardline' || unstable || norm === '' ? undefined : compound ? norm : (single ?? norm);
  return { level, reasons, pattern, compound };
}

/**
 * Judges a file write by a tool. Outside the workspace → dangerous (asks); SSH files, shell
 * startup files, `.env` files (even inside the workspace), credentials and system dirs →
 * dangerous; raw disk devices → hardline.
 */
export function assessFileWrite(
  path: string,
  workspace: string,
  home?: string,
): { level: RiskLevel; reasons: string[]; pattern: string; absolute: string } {
  const expanded = home && (path === '~' || path.startsWith('~/')) ? home + path.slice(1) : path;
  const absolute = lexicalAbs(expanded.startsWith('/') ? expanded : `${workspace.replace(/\/+$/, '')}/${expanded}`);
  const ws = lexicalAbs(workspace);
  const reasons: string[] = [];
  let level: RiskLevel = 'safe';
  const inside = absolute === ws || absolute.startsWith(ws === '/' ? '/' : ws + '/');
  if (!inside) {
    level = 'dangerous';
    reasons.push(`writes outside the workspace (${absolute})`);
  }
  const r = sensitiveWriteReason(absolute, home);
  if (r) {
    level = maxLevel(level, r.level);
    reasons.push(r.reason);
  }
  return { level, reasons, pattern: `write ${absolute}`, absolute };
}
