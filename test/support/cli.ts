import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './daemon.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  proc: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr (or stdout) contains the text. */
  waitFor(text: string | RegExp, where?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/**
 * Spawns the real `hermes` binary. `stdin`: a string is written then closed; 'open' is a pipe
 * never written nor closed (the hang case); 'ignore' is /dev/null. Detached: its own session,
 * so no controlling terminal (opening /dev/tty fails, like under cron or CI).
 */
export function runCli(
  args: string[],
  opts: { home: string; stdin?: string | 'open' | 'ignore'; env?: Record<string, string>; cwd?: string; timeoutMs?: number },
): CliRun {
  const stdinMode = opts.stdin === undefined || opts.stdin === 'ignore' ? 'ignore' : 'pipe';
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, HERMES_HOME: opts.home, NO_COLOR: '1', ...opts.env },
    stdio: [stdinMode, 'pipe', 'pipe'],
    detached: true,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  proc.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    wake();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    wake();
  });
  if (stdinMode === 'pipe' && opts.stdin !== 'open') proc.stdin!.end(opts.stdin);
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const done = new Promise<CliResult>((resolve) => {
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      proc.stdin?.destroy();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    proc,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitFor: (text, where = 'stderr', timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const test = () => {
          const s = where === 'stderr' ? stderr : stdout;
          return typeof text === 'string' ? s.includes(text) : text.test(s);
        };
        if (test()) return resolve();
        const t = setTimeout(
          () => reject(new Error(`timed out waiting for ${String(text)}; stderr: ${stderr}; stdout: ${stdout}`)),
          timeoutMs,
        );
        const check = () => {
          if (test()) {
            clearTimeout(t);
            resolve();
          } else waiters.push(check);
        };
        waiters.push(check);
        void done.then(() => {
          if (!test()) {
            clearTimeout(t);
            reject(new Error(`exited before ${String(text)}; stderr: ${stderr}; stdout: ${stdout}`));
          }
        });
      }),
  };
}

/** Runs the binary to its end. */
export function hermes(
  args: string[],
  opts: { home: string; stdin?: string | 'open' | 'ignore'; env?: Record<string, string>; cwd?: string },
): Promise<CliResult> {
  return runCli(args, opts).done;
}
