import { chmod, lstat, readFile, readdir, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dangerousKeys } from './git-config.js';
import { readGitlinks } from './git-index.js';
import { gitProtections, isInside, type GitDiscovery } from './layout.js';

/**
 * Git trusts more of a repository's directory than the `hooks` and `config` the sandbox makes
 * read-only: a new `commondir` names a directory to take config and hooks from, and a repository
 * a command creates inside the workspace (added as a gitlink, or under `.git/modules`) has config
 * and hooks of its own. Any of them runs code (`core.fsmonitor`, a hook) outside the sandbox the
 * next time the user runs git there. `.git` must stay writable for `git commit`, so instead the
 * daemon compares these files before and after each sandboxed command and undoes what the
 * command did to them. It only ever undoes: it restores a file that existed, and renames aside
 * (`*.hermes-quarantine`) or makes non-executable one the command created.
 */

const CONFIG_CAP = 256 * 1024;
export const QUARANTINE = '.hermes-quarantine';

interface GitDirState {
  commondir: string | null;
  config: string | null;
  /** Executable hooks (not `*.sample`): name → mode, size and mtime. */
  hooks: Map<string, string>;
}

export interface GitSnapshot {
  workspace: string;
  dirs: Map<string, GitDirState>;
  /** `.git` files → the git dir each names. */
  gitFiles: Map<string, string | null>;
}

export interface GitUndo {
  /** Relative to the workspace where it is inside it. */
  path: string;
  did: 'restored' | 'removed' | 'quarantined' | 'made non-executable';
  why: string;
}

async function readSmall(p: string): Promise<string | null> {
  try {
    const st = await lstat(p);
    if (!st.isFile()) return st.isSymbolicLink() ? `<link ${await realpath(p).catch(() => '?')}>` : '<not a file>';
    if (st.size > CONFIG_CAP) return `<${st.size} bytes>`;
    return await readFile(p, 'utf8');
  } catch {
    return null;
  }
}

async function hooksOf(gitDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = await readdir(path.join(gitDir, 'hooks'));
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.endsWith('.sample')) continue;
    const st = await lstat(path.join(gitDir, 'hooks', name)).catch(() => null);
    if (st && (st.isFile() || st.isSymbolicLink()) && (st.isSymbolicLink() || st.mode & 0o111))
      out.set(name, `${st.mode}:${st.size}:${st.mtimeMs}`);
  }
  return out;
}

async function stateOf(gitDir: string): Promise<GitDirState> {
  return {
    commondir: await readSmall(path.join(gitDir, 'commondir')),
    config: await readSmall(path.join(gitDir, 'config')),
    hooks: await hooksOf(gitDir),
  };
}

async function gitDirOfWorktree(dir: string): Promise<{ gitDir: string | null; gitFile: string | null }> {
  const dotGit = path.join(dir, '.git');
  const st = await lstat(dotGit).catch(() => null);
  if (!st) return { gitDir: null, gitFile: null };
  if (st.isDirectory()) return { gitDir: await realpath(dotGit).catch(() => null), gitFile: null };
  // git follows a `.git` symlink like the directory or file it names: the link itself is then the
  // pointer (kept by its own path), and what it names is judged like any git dir or gitfile.
  const link = st.isSymbolicLink() ? path.join(await realpath(dir).catch(() => dir), '.git') : null;
  const target = link ? await realpath(dotGit).catch(() => null) : dotGit;
  const tst = target ? await stat(target).catch(() => null) : null;
  if (link && tst?.isDirectory()) return { gitDir: target, gitFile: link };
  if (!target || !tst?.isFile()) return { gitDir: null, gitFile: link };
  const text = await readSmall(target);
  const m = text ? /^gitdir:\s*(.+)$/m.exec(text) : null;
  const gitDir = m ? await realpath(path.resolve(dir, m[1]!.trim())).catch(() => null) : null;
  return { gitDir, gitFile: link ?? (await realpath(dotGit).catch(() => dotGit)) };
}

/**
 * What git would trust in the workspace: every git dir the sandbox found, plus the repositories
 * behind the gitlinks of the workspace's own index (those are entered by `git status` however
 * deep they lie).
 */
export async function snapshotGit(workspace: string, found?: GitDiscovery): Promise<GitSnapshot> {
  const discovery = found ?? (await gitProtections(workspace));
  const dirs = new Map<string, GitDirState>();
  const gitFiles = new Map(discovery.gitFiles);
  const gitDirs = new Set(discovery.pinned);
  const root = await gitDirOfWorktree(workspace);
  if (root.gitDir) {
    for (const link of (await readGitlinks(path.join(root.gitDir, 'index'))) ?? []) {
      const nested = await gitDirOfWorktree(path.join(workspace, link));
      if (nested.gitFile) gitFiles.set(nested.gitFile, nested.gitDir);
      if (nested.gitDir && (!nested.gitFile || isInside(nested.gitDir, workspace))) gitDirs.add(nested.gitDir);
    }
  }
  for (const d of gitDirs) dirs.set(d, await stateOf(d));
  return { workspace, dirs, gitFiles };
}

/** Compares the state after a command with the one before and undoes what could run code. */
export async function undoGitChanges(before: GitSnapshot): Promise<GitUndo[]> {
  const workspace = before.workspace;
  const after = await snapshotGit(workspace);
  const undone: GitUndo[] = [];
  const shown = (p: string): string => (isInside(p, workspace) ? path.relative(workspace, p) || '.' : p);
  const act = async (p: string, did: GitUndo['did'], why: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
      undone.push({ path: shown(p), did, why });
    } catch (e) {
      undone.push({ path: shown(p), did, why: `${why}; could not undo it: ${(e as Error).message}` });
    }
  };
  const aside = (p: string) => () => rename(p, `${p}${QUARANTINE}`);

  for (const [dir, now] of after.dirs) {
    const was = before.dirs.get(dir);
    // Only the workspace and git dirs the sandbox itself made writable are ever changed.
    if (!was && !isInside(dir, workspace)) continue;
    const commondir = path.join(dir, 'commondir');
    if (now.commondir !== (was?.commondir ?? null)) {
      const why = `git would have read its config and hooks from ${JSON.stringify(now.commondir?.trim() ?? '')}`;
      if (was?.commondir != null) await act(commondir, 'restored', why, () => writeFile(commondir, was.commondir!));
      else if (now.commondir !== null)
        await act(commondir, was ? 'removed' : 'quarantined', why, was ? () => unlink(commondir) : aside(commondir));
    }
    const config = path.join(dir, 'config');
    if (now.config !== null && now.config !== (was?.config ?? null)) {
      const keys = dangerousKeys(now.config);
      if (keys.length) {
        const why = `it sets ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}, which git may run or follow`;
        if (was?.config != null) await act(config, 'restored', why, () => writeFile(config, was.config!));
        else await act(config, 'quarantined', why, aside(config));
      }
    }
    for (const [name, key] of now.hooks) {
      if (was?.hooks.get(name) === key) continue;
      const hook = path.join(dir, 'hooks', name);
      const st = await lstat(hook).catch(() => null);
      if (!st) continue;
      const why = 'git would run it outside the sandbox';
      if (st.isSymbolicLink()) await act(hook, 'quarantined', why, aside(hook));
      else await act(hook, 'made non-executable', why, () => chmod(hook, st.mode & 0o666));
    }
  }
  for (const [file, target] of after.gitFiles) {
    if (!isInside(file, workspace) || (before.gitFiles.has(file) && before.gitFiles.get(file) === target)) continue;
    // A pointer the command wrote to a git dir outside the workspace: nothing there is checked.
    if (target && (isInside(target, workspace) || before.dirs.has(target))) continue;
    await act(file, 'quarantined', `it points git at ${target ?? 'a missing directory'}, outside the workspace`, aside(file));
  }
  return undone;
}

/** The line the tool result carries (the model and every client see it). */
export function gitUndoNote(undone: readonly GitUndo[]): string | null {
  if (!undone.length) return null;
  const items = undone.map((u) => `${u.path} ${u.did} (${u.why})`);
  return `[sandbox: undid git changes that would run code outside the sandbox the next time git runs here: ${items.join('; ')}]`;
}
