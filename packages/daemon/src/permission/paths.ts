/**
 * Where a file tool's call really lands, judged on real paths. Pure: the caller resolves
 * symlinks (`tool/resolve.ts`, shared with the tools) and passes the facts in, so a link named
 * `keys.txt` that points at `~/.ssh/authorized_keys` is judged as `~/.ssh/authorized_keys`.
 *
 * Both the path as named and its real path are checked for sensitive names: a `.env` reached
 * through a link, and a link named `.env`, both ask.
 */
import { sensitiveWriteReason } from './detector/index.js';

export type PathAccess = 'read' | 'write' | 'cwd';

/** One path a call touches. */
export interface PathFacts {
  /** As the call names it, made absolute (`~` expanded, relative to the workspace); links not resolved. */
  requested: string;
  /** Its real path: every symlink resolved; for a missing file, the nearest existing ancestor's real path plus the rest. */
  real: string;
}

/** What the session's paths are, as real paths. */
export interface PathScope {
  workspace: string;
  /** HERMES_HOME: hermes' token, config and sessions. Never read or written by a tool. */
  hermesHome?: string;
  /** `tools.readable`: folders read outside the workspace without asking. */
  readable: readonly string[];
  home?: string;
  /**
   * The session's saved tool outputs (`toolOutputDir` in tool-output/dir.ts): the one folder
   * inside HERMES_HOME whose files read_file and search_files may read, so the model can read
   * what was cut from a long result.
   */
  toolOutput?: string;
}

export interface PathVerdict {
  /** `refuse`: in every approval mode, yolo included, and no rule can allow it. */
  level: 'safe' | 'dangerous' | 'refuse';
  reasons: string[];
  /** The rule a `session`/`always` answer grants, on the real path: `write /real/file`, `read /real/file`. */
  pattern: string;
}

export function isWithin(p: string, dir: string): boolean {
  if (dir === '/') return p.startsWith('/');
  const d = dir.replace(/\/+$/, '');
  return p === d || p.startsWith(d + '/');
}

/**
 * `isWithin` ignoring case: on macOS' and Windows' default filesystems `~/.HERMES` is
 * `~/.hermes`, and the resolver keeps the case the call typed. Used where a miss would let a
 * read through (HERMES_HOME); on Linux it only refuses a few more names.
 */
export function isWithinFolded(p: string, dir: string): boolean {
  return isWithin(p.toLowerCase(), dir.toLowerCase());
}

/**
 * Inside HERMES_HOME. A workspace that is itself a folder inside HERMES_HOME keeps its own
 * contents (the rest of HERMES_HOME stays out of reach).
 */
function inHermesHome(p: string, scope: PathScope): boolean {
  const hh = scope.hermesHome;
  if (!hh || !isWithinFolded(p, hh)) return false;
  const ws = scope.workspace;
  const workspaceInside = ws.toLowerCase() !== hh.replace(/\/+$/, '').toLowerCase() && isWithinFolded(ws, hh);
  return !(workspaceInside && isWithin(p, ws));
}

/**
 * Git's own folder decides what git runs: hooks, config (`core.fsmonitor`, `core.pager`,
 * aliases…), and the files that point git at another folder's config (`commondir`, `gitdir`,
 * a `.git` file in a submodule or worktree). Every write into a `.git` folder, or to a `.git`
 * file, asks; the tools have no normal reason to touch them. Case-insensitive, as on macOS'
 * default filesystem.
 */
const GIT_HOOK = /(?:^|\/)\.git\/(?:.+\/)?hooks(?:\/|$)/i;
const GIT_CONFIG = /(?:^|\/)\.git\/(?:(?:modules|worktrees)\/.+\/)?config(?:\.worktree)?$/i;
const GIT_ANY = /(?:^|\/)\.git(?:\/|$)/i;

function gitReason(p: string): string | null {
  if (GIT_HOOK.test(p)) return `writes a git hook (${p})`;
  if (GIT_CONFIG.test(p)) return `writes git configuration, which can run commands (${p})`;
  if (GIT_ANY.test(p)) return `writes into git's own folder (${p}), which decides what git runs`;
  return null;
}

function uniquePaths(f: PathFacts): string[] {
  return f.requested === f.real ? [f.real] : [f.requested, f.real];
}

/** A write by write_file or patch. */
export function classifyWrite(f: PathFacts, scope: PathScope): PathVerdict {
  // Refusals first: the first reason is the one the model is told.
  const refusals: string[] = [];
  const asks: string[] = [];
  const add = (list: string[], reason: string) => {
    if (!list.includes(reason)) list.push(reason);
  };
  for (const p of uniquePaths(f)) {
    if (inHermesHome(p, scope)) add(refusals, `writes into HERMES_HOME (${p}), where hermes keeps its token, config and sessions`);
    const s = sensitiveWriteReason(p, scope.home);
    if (s) add(s.level === 'hardline' ? refusals : asks, s.reason);
    const g = gitReason(p);
    if (g) add(asks, g);
  }
  if (!isWithin(f.real, scope.workspace)) add(asks, `writes outside the workspace (${f.real})`);
  const level = refusals.length ? 'refuse' : asks.length ? 'dangerous' : 'safe';
  return { level, reasons: [...refusals, ...asks], pattern: `write ${f.real}` };
}

/** A read by read_file or search_files. */
export function classifyRead(f: PathFacts, scope: PathScope): PathVerdict {
  const pattern = `read ${f.real}`;
  const saved = scope.toolOutput;
  if (saved && uniquePaths(f).every((p) => isWithin(p, saved))) return { level: 'safe', reasons: [], pattern };
  const hermes = uniquePaths(f).find((p) => inHermesHome(p, scope));
  if (hermes)
    return { level: 'refuse', reasons: [`reads HERMES_HOME (${hermes}), where hermes keeps its token, config and sessions`], pattern };
  if (isWithin(f.real, scope.workspace) || scope.readable.some((r) => isWithin(f.real, r))) return { level: 'safe', reasons: [], pattern };
  return { level: 'dangerous', reasons: [`reads outside the workspace (${f.real})`], pattern };
}

/** A terminal `workdir`: every relative write of the command lands there. */
export function classifyWorkdir(f: PathFacts, scope: PathScope): PathVerdict {
  if (isWithin(f.real, scope.workspace)) return { level: 'safe', reasons: [], pattern: `cwd ${f.real}` };
  return { level: 'dangerous', reasons: [`runs in ${f.real}, outside the workspace`], pattern: `cwd ${f.real}` };
}

export function classifyPath(access: PathAccess, f: PathFacts, scope: PathScope): PathVerdict {
  return access === 'read' ? classifyRead(f, scope) : access === 'write' ? classifyWrite(f, scope) : classifyWorkdir(f, scope);
}

/** How a target is named on an approval card: `keys.txt → /home/u/.ssh/authorized_keys` when a link leads elsewhere. */
export function describeTarget(named: string, f: PathFacts): string {
  return f.real === f.requested ? named : `${named} → ${f.real}`;
}
