import { spawn } from 'node:child_process';

/** The shadow repository a workspace's checkpoints live in, and the tree it snapshots. */
export interface GitTarget {
  gitDir: string;
  workTree: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/**
 * Options that keep the user's own git setup out: no hooks, no fsmonitor daemon, no line-ending
 * or path-quoting conversions, no automatic gc in the middle of a run.
 */
const ISOLATION = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.autocrlf=false',
  '-c',
  'core.quotepath=false',
  '-c',
  'gc.auto=0',
  '-c',
  'core.symlinks=true',
  '-c',
  'maintenance.auto=false',
];

/** Only what git needs from the daemon's env: nothing that could point it at the user's repository. */
function isolatedEnv(t: GitTarget, init: boolean): NodeJS.ProcessEnv {
  const keep: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'LANG', 'LC_ALL', 'TMPDIR']) if (process.env[k] !== undefined) keep[k] = process.env[k];
  return {
    ...keep,
    HOME: t.gitDir,
    // `init` creates the store itself and refuses a work tree.
    ...(init ? {} : { GIT_DIR: t.gitDir, GIT_WORK_TREE: t.workTree, GIT_INDEX_FILE: `${t.gitDir}/index` }),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_AUTHOR_NAME: 'hermes',
    GIT_AUTHOR_EMAIL: 'hermes@localhost',
    GIT_COMMITTER_NAME: 'hermes',
    GIT_COMMITTER_EMAIL: 'hermes@localhost',
  };
}

/** Output is capped: a runaway command cannot fill the daemon's memory. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/** Runs git asynchronously (never blocking the daemon), in the workspace, against the shadow repository. */
export function runGit(
  t: GitTarget,
  args: string[],
  opts: { input?: string | Buffer; timeoutMs?: number; init?: boolean } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...ISOLATION, ...args], {
      cwd: opts.init ? t.gitDir : t.workTree,
      env: isolatedEnv(t, opts.init === true),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) child.kill('SIGKILL');
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 4000) err += b.toString('utf8');
    });
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new GitError(`git could not start: ${e.message}`, null, false));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code === 0 && size <= MAX_OUTPUT) resolve(Buffer.concat(out));
      else
        reject(new GitError(timedOut ? 'git timed out' : `git ${args[0]} failed (${code}): ${err.trim().slice(0, 500)}`, code, timedOut));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Splits NUL-separated git output. */
export function nulFields(out: Buffer): string[] {
  const s = out.toString('utf8');
  const parts = s.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
