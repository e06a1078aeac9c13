import * as pty from 'node-pty';
import { CLI } from './daemon.js';

/** Terminal escape sequences out, so the output can be searched as text. */
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '');

export interface PtyRun {
  proc: pty.IPty;
  /** Everything printed so far, escape sequences removed. */
  text(): string;
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  type(s: string): void;
  exited: Promise<number>;
  kill(): void;
}

/** The real `hermes` binary in a pseudo-terminal (for commands that need a TTY: chat, attach). */
export function runInPty(
  args: string[],
  opts: { home: string; cwd?: string; env?: Record<string, string>; cols?: number; rows?: number },
): PtyRun {
  const proc = pty.spawn(process.execPath, [CLI, ...args], {
    name: 'xterm-256color',
    cols: opts.cols ?? 100,
    rows: opts.rows ?? 30,
    cwd: opts.cwd ?? opts.home,
    env: { ...process.env, HERMES_HOME: opts.home, CI: 'true', ...opts.env } as Record<string, string>,
  });
  let raw = '';
  proc.onData((d) => (raw += d));
  const exited = new Promise<number>((resolve) => proc.onExit(({ exitCode }) => resolve(exitCode)));
  const text = () => stripAnsi(raw);
  return {
    proc,
    text,
    type: (s) => proc.write(s),
    exited,
    kill: () => {
      try {
        proc.kill();
      } catch {
        // already gone
      }
    },
    waitFor: async (pattern, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      const hit = () => (typeof pattern === 'string' ? text().includes(pattern) : pattern.test(text()));
      while (Date.now() < deadline) {
        if (hit()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${String(pattern)}; output:\n${text().slice(-3000)}`);
    },
  };
}
