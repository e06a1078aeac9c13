import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PathFacts, PathScope } from '../permission/paths.js';
import os from 'node:os';

/** Resolves a tool path: `~` to the home folder, relative paths against the workspace (lexically). */
export function resolvePath(workspace: string, p: string, env?: Readonly<Record<string, string | undefined>>): string {
  const home = env?.HOME ?? os.homedir();
  const expanded = p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
  return path.resolve(workspace, expanded);
}

/** Linux's limit (MAXSYMLINKS): more hops than this is a loop. */
const MAX_LINKS = 40;

export interface ResolvedTarget extends PathFacts {
  exists: boolean;
  /**
   * The nearest existing folder on the way to the target (its parent when it exists), by real
   * path and identity: a write checks it is still the same folder when it happens.
   */
  anchor: { path: string; dev: number; ino: number };
}

function code(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/**
 * The real path of `requested` (absolute), resolving symlinks in every component, including
 * a dangling link as the last one (`keys.txt → ~/.ssh/authorized_keys` before that file
 * exists). Missing components are kept as named below the nearest existing ancestor.
 */
export async function resolveTarget(requested: string): Promise<ResolvedTarget> {
  const pending = requested.split('/').filter(Boolean);
  let cur = '/';
  let links = 0;
  let exists = true;
  while (pending.length) {
    const seg = pending.shift()!;
    if (seg === '.') continue;
    if (seg === '..') {
      cur = path.dirname(cur);
      continue;
    }
    const next = path.join(cur, seg);
    let st;
    try {
      st = await lstat(next);
    } catch (e) {
      const c = code(e);
      // ENOTDIR: a file used as a folder; the write fails later, the path is judged as named.
      if (c !== 'ENOENT' && c !== 'ENOTDIR') throw e;
      exists = false;
      cur = path.join(next, ...pending);
      break;
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`too many symbolic links resolving ${requested}`), { code: 'ELOOP' });
      const to = await readlink(next);
      pending.unshift(...to.split('/').filter(Boolean));
      if (to.startsWith('/')) cur = '/';
      continue;
    }
    cur = next;
  }
  const real = cur;
  const anchorPath = await nearestExistingDir(exists ? path.dirname(real) : real);
  const a = await stat(anchorPath);
  return { requested, real, exists, anchor: { path: anchorPath, dev: a.dev, ino: a.ino } };
}

async function nearestExistingDir(p: string): Promise<string> {
  for (let d = p; ; d = path.dirname(d)) {
    try {
      if ((await lstat(d)).isDirectory()) return d;
    } catch {
      // keep walking up
    }
    if (d === '/') return '/';
  }
}

/** What the policy needs about one path a tool call names: resolved as the tool will resolve it. */
export async function resolveToolPath(
  workspace: string,
  named: string,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<ResolvedTarget> {
  return resolveTarget(resolvePath(workspace, named, env));
}

async function realOr(p: string): Promise<string> {
  return realpath(p).catch(() => path.resolve(p));
}

/** The session's paths as real paths (workspace, HERMES_HOME, `tools.readable`), for the policy. */
export async function resolveScope(
  workspace: string,
  hermesHome: string | undefined,
  readable: readonly string[],
  env?: Readonly<Record<string, string | undefined>>,
  home?: string,
  /** The session's saved tool outputs, readable though inside HERMES_HOME. */
  toolOutput?: string,
): Promise<PathScope> {
  return {
    workspace: await realOr(workspace),
    ...(hermesHome ? { hermesHome: await realOr(hermesHome) } : {}),
    readable: await Promise.all(readable.map((r) => realOr(resolvePath(workspace, r, env)))),
    ...(home ? { home } : {}),
    ...(toolOutput ? { toolOutput: await realOr(toolOutput) } : {}),
  };
}

/** Whether two resolutions of one path lead to the same place through the same folder. */
export function sameTarget(a: ResolvedTarget, b: ResolvedTarget): boolean {
  if (a.real !== b.real) return false;
  if (a.anchor.path === b.anchor.path) return a.anchor.dev === b.anchor.dev && a.anchor.ino === b.anchor.ino;
  // A missing folder on the way was created meanwhile: still the same place, as no link is on it.
  return true;
}
