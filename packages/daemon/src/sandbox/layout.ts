import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * What a sandboxed command may touch, as real paths on this machine. Every path has been
 * resolved (symlinks followed) and exists: bubblewrap cannot bind onto a symlink or a missing
 * path, and a path we did not resolve could widen what it protects (sandbox notes §6.2).
 */
export interface SandboxLayout {
  workspace: string;
  /** The command's working directory (inside the workspace, or a writable path). */
  cwd: string;
  /** The session's private /tmp on the host, bound at /tmp inside. */
  tmp: string;
  /** Writable besides the workspace and /tmp (`sandbox.writable`). */
  writable: string[];
  /** Read-only although inside a writable path: `.git/hooks`, `.git/config`. */
  readOnly: string[];
  /**
   * Git dirs that stay writable but cannot be moved or removed: otherwise `mv .git x && git init`
   * puts a fresh `.git` with the command's own config and hooks where the protected one was, and
   * the user's next `git status` runs them outside the sandbox.
   */
  pinned?: string[];
  /** Read-only from the host's /tmp although the private one covers it: an MCP server's own files. */
  programReadOnly?: string[];
  /** Hidden directories (an empty, unreadable tmpfs over each). */
  hiddenDirs: string[];
  /** Hidden files (an empty read-only file over each). */
  hiddenFiles: string[];
  network: boolean;
}

/** Credentials and agent homes hidden from every command; `~` is the user's home. */
export const DEFAULT_HIDDEN = [
  '~/.ssh',
  '~/.gnupg',
  '~/.aws',
  '~/.azure',
  '~/.config/gcloud',
  '~/.config/gh',
  '~/.kube',
  '~/.docker',
  '~/.netrc',
  '~/.npmrc',
  '~/.pypirc',
  '~/.git-credentials',
  '~/.cargo/credentials',
  '~/.cargo/credentials.toml',
  '~/.terraform.d',
  '~/.claude',
  '~/.codex',
  '~/.gemini',
  // The system bus and systemd's private socket: a root daemon's command is host uid 0 to them
  // (path sockets ignore the read-only root and the network namespace), and `systemd-run`
  // would start it a process outside the sandbox.
  '/run/dbus',
  '/run/systemd/private',
  '/run/docker.sock',
  '/run/containerd',
  '/run/podman',
];

export interface LayoutInput {
  workspace: string;
  cwd: string;
  tmp: string;
  hermesHome: string;
  home: string;
  writable?: readonly string[];
  hidden?: readonly string[];
  network?: boolean;
  /** `XDG_RUNTIME_DIR` of the daemon: agent sockets (ssh, gpg, dbus, rootless docker) live there. */
  runtimeDir?: string;
}

export type LayoutResult = { ok: true; layout: SandboxLayout; git: GitDiscovery } | { ok: false; reason: string };

export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(p);
}

async function real(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * A git dir outside the workspace is trusted (made writable) only if it is a linked worktree's
 * that points back at this `.git` file: the workspace's files are the command's to write, so a
 * `.git` file planted by an earlier command must not widen what the next one may write
 * (`gitdir: /` made the whole root writable).
 */
async function worktreeGitDir(dotGit: string, gitDir: string, workspace: string): Promise<boolean> {
  if (isInside(workspace, gitDir)) return false;
  const back = await readFile(path.join(gitDir, 'gitdir'), 'utf8').catch(() => null);
  return !!back && (await real(path.resolve(gitDir, back.trim()))) === (await real(dotGit));
}

/** The common dir of a trusted worktree git dir, if it really lists that worktree. */
async function worktreeCommonDir(gitDir: string, workspace: string): Promise<string | null> {
  const common = await readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => null);
  const commonDir = common ? await real(path.resolve(gitDir, common.trim())) : null;
  if (!commonDir || isInside(workspace, commonDir)) return null;
  return (await real(path.join(commonDir, 'worktrees', path.basename(gitDir)))) === gitDir ? commonDir : null;
}

/**
 * `.git/hooks` and `.git/config` of the workspace's repository, its submodules, and repos nested
 * three deep. Everything found here was writable by earlier commands, so a link may point
 * anywhere: a path is used only inside the workspace or a trusted git dir, never the workspace
 * itself or a parent of the git dir (a hooks link to `/tmp` would show the host's /tmp, a
 * modules link to `/` would have pinned `/` writable).
 */
export interface GitDiscovery {
  readOnly: string[];
  writable: string[];
  /** Every git dir found (real paths): the workspace's, its submodules', nested repos'. */
  pinned: string[];
  /** `.git` files found (real paths), with the git dir each names (resolved, or null). */
  gitFiles: Map<string, string | null>;
}

export async function gitProtections(workspace: string): Promise<GitDiscovery> {
  const readOnly: string[] = [];
  const writable: string[] = [];
  const pinned: string[] = [];
  const gitFiles = new Map<string, string | null>();
  const trusted: string[] = [workspace];
  const usable = (p: string | null, gitDir: string): p is string =>
    !!p && p !== workspace && !isInside(gitDir, p) && trusted.some((t) => isInside(p, t));
  const protect = async (gitDirName: string): Promise<void> => {
    const gitDir = await real(gitDirName);
    if (!gitDir || gitDir === workspace || !trusted.some((t) => isInside(gitDir, t))) return;
    pinned.push(gitDir);
    for (const name of ['hooks', 'config']) {
      const p = await real(path.join(gitDir, name));
      if (usable(p, gitDir)) readOnly.push(p);
    }
    try {
      for (const m of await readdir(path.join(gitDir, 'modules'))) await protect(path.join(gitDir, 'modules', m));
    } catch {
      // no submodules
    }
  };
  const visit = async (dir: string, depth: number): Promise<void> => {
    const dotGit = path.join(dir, '.git');
    try {
      const st = await lstat(dotGit);
      if (st.isDirectory()) await protect(dotGit);
      else if (st.isFile()) {
        // A worktree or submodule: `.git` names the real git dir. The pointer itself is
        // read-only (rewritten, it would name a git dir of the command's making); the git dir
        // stays writable for commits, with its own hooks and config protected.
        const file = await realpath(dotGit);
        readOnly.push(file);
        const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
        const gitDir = m ? await real(path.resolve(dir, m[1]!.trim())) : null;
        gitFiles.set(file, gitDir);
        if (gitDir && isInside(gitDir, workspace)) await protect(gitDir);
        else if (gitDir && (await worktreeGitDir(dotGit, gitDir, workspace))) {
          trusted.push(gitDir);
          writable.push(gitDir);
          // Its pointers stay as they are: retargeted, the next command would trust another dir.
          for (const f of ['gitdir', 'commondir']) {
            const p = await real(path.join(gitDir, f));
            if (p && isInside(p, gitDir)) readOnly.push(p);
          }
          await protect(gitDir);
          const commonDir = await worktreeCommonDir(gitDir, workspace);
          if (commonDir) {
            trusted.push(commonDir);
            writable.push(commonDir);
            await protect(commonDir);
          }
        }
      }
    } catch {
      // not a repository
    }
    if (depth >= 3) return;
    let entries: string[] = [];
    try {
      entries = (await readdir(dir, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules')
        .map((e) => e.name);
    } catch {
      return;
    }
    // A workspace that is a big tree must not make every command slow: look at the first few hundred.
    for (const e of entries.slice(0, 200)) await visit(path.join(dir, e), depth + 1);
  };
  await visit(workspace, 0);
  return { readOnly, writable, pinned, gitFiles };
}

/** Resolves every path of the sandbox for one command. */
export async function resolveLayout(input: LayoutInput): Promise<LayoutResult> {
  const workspace = await real(input.workspace);
  if (!workspace || !(await isDir(workspace))) return { ok: false, reason: `the workspace ${input.workspace} is not a directory` };
  const cwd = await real(input.cwd);
  if (!cwd || !(await isDir(cwd))) return { ok: false, reason: `the folder ${input.cwd} is not a directory` };
  const tmp = await real(input.tmp);
  if (!tmp) return { ok: false, reason: `the sandbox's /tmp ${input.tmp} is missing` };
  const hermesHome = (await real(input.hermesHome)) ?? path.resolve(input.hermesHome);

  const hiddenDirs: string[] = [];
  const hiddenFiles: string[] = [];
  const hiddenNames = [input.hermesHome, ...DEFAULT_HIDDEN, ...(input.hidden ?? [])];
  if (input.runtimeDir) hiddenNames.push(input.runtimeDir);
  for (const name of hiddenNames) {
    const p = await real(expandHome(name, input.home));
    if (!p || p === '/') continue;
    // Hiding the workspace or a parent of it would hide the work itself: refuse rather than guess.
    if (isInside(workspace, p)) return { ok: false, reason: `the workspace ${workspace} is inside a hidden path (${p})` };
    if (await isDir(p)) hiddenDirs.push(p);
    else hiddenFiles.push(p);
  }
  if (isInside(workspace, hermesHome)) return { ok: false, reason: `the workspace ${workspace} is inside HERMES_HOME` };

  const writable: string[] = [];
  for (const w of input.writable ?? []) {
    const p = await real(expandHome(w, input.home));
    if (!p || p === '/') continue;
    if (isInside(hermesHome, p) || isInside(p, hermesHome)) continue;
    writable.push(p);
  }
  const git = await gitProtections(workspace);
  writable.push(...git.writable.filter((p) => !isInside(p, workspace)));
  if (!isInside(cwd, workspace) && !writable.some((w) => isInside(cwd, w)) && !isInside(cwd, tmp)) {
    return { ok: false, reason: `the folder ${cwd} is outside the workspace` };
  }
  return {
    ok: true,
    layout: {
      workspace,
      cwd,
      tmp,
      writable: [...new Set(writable)],
      readOnly: [...new Set(git.readOnly)],
      pinned: [...new Set(git.pinned)],
      hiddenDirs: [...new Set(hiddenDirs)],
      hiddenFiles: [...new Set(hiddenFiles)],
      network: input.network ?? false,
    },
    git,
  };
}

export function defaultRuntimeDir(): string | undefined {
  if (process.env.XDG_RUNTIME_DIR) return process.env.XDG_RUNTIME_DIR;
  const uid = os.userInfo().uid;
  return uid >= 0 ? `/run/user/${uid}` : undefined;
}
