// A program in a pseudo-terminal whose output is fed into a headless xterm, so that figures
// are about what a user would see on the screen, not about bytes written.
import { createRequire } from 'node:module';
import { killPid, now, onCleanup, waitGone } from './common.mjs';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const { Terminal } = require('@xterm/headless');

export const COLS = 120;
export const ROWS = 40;

export class PtyApp {
  /**
   * @param {string} file
   * @param {string[]} args
   * @param {Record<string, string|undefined>} env
   */
  constructor(file, args, env) {
    this.term = new Terminal({ cols: COLS, rows: ROWS, scrollback: 5000, allowProposedApi: true });
    this.bytes = 0;
    this.output = '';
    this.lastDataAt = now();
    this.startedAt = now();
    /** @type {Array<{pred: (screen: string) => boolean, resolve: (t: number) => void, reject: (e: Error) => void, timer: NodeJS.Timeout}>} */
    this.waiters = [];
    this.exited = false;
    this.proc = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: COLS,
      rows: ROWS,
      cwd: process.cwd(),
      env: { ...env, TERM: 'xterm-256color', COLORTERM: 'truecolor' },
    });
    this.pid = this.proc.pid;
    this.exit = new Promise((resolve) =>
      this.proc.onExit((e) => {
        // The last output may arrive after the exit, and then wait in xterm's parser: let it
        // land before judging the screen.
        setTimeout(() => {
          this.term.write('', () => {
            this.check();
            this.exited = true;
            resolve(e);
            this.failWaiters(e);
          });
        }, 50);
      }),
    );
    this.failWaiters = (e) => {
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(
          new Error(
            `the program exited (${e.exitCode}) before the screen matched; last output: ${JSON.stringify(this.output.slice(-300))}`,
          ),
        );
      }
    };
    this.stop = onCleanup(async () => {
      if (!this.exited) {
        killPid(this.pid, 'SIGTERM');
        await Promise.race([this.exit, waitGone(this.pid, 2000)]);
        killPid(this.pid, 'SIGKILL');
      }
      this.term.dispose();
    });
    this.proc.onData((d) => {
      this.bytes += Buffer.byteLength(d);
      this.lastDataAt = now();
      if (this.output.length < 4000) this.output += d;
      else this.output = (this.output + d).slice(-4000);
      // Check waiters once xterm has parsed this chunk: that is when it is on the screen.
      this.term.write(d, () => this.check());
    });
  }

  /** The visible screen as text, one line per row. */
  screen() {
    const b = this.term.buffer.active;
    const lines = [];
    for (let y = b.viewportY; y < b.viewportY + ROWS; y++) lines.push(b.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  check() {
    if (this.waiters.length === 0) return;
    const t = now();
    const s = this.screen();
    for (const w of this.waiters.slice()) {
      if (w.pred(s)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(t);
      }
    }
  }

  /** Resolves with the time at which the screen first satisfies `pred`. */
  waitFor(pred, timeoutMs = 30000, what = 'screen') {
    const s = this.screen();
    if (pred(s)) return Promise.resolve(now());
    if (this.exited) return Promise.reject(new Error(`the program has exited; last output: ${JSON.stringify(this.output.slice(-300))}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(
          this.waiters.findIndex((w) => w.timer === timer),
          1,
        );
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.screen()
              .split('\n')
              .filter((l) => l.trim())
              .slice(-12)
              .join('\n')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({ pred, resolve, reject, timer });
    });
  }

  waitForText(text, timeoutMs) {
    return this.waitFor((s) => s.includes(text), timeoutMs, JSON.stringify(text));
  }

  /** Resolves once nothing has been written for `quietMs` (or rejects after `timeoutMs`). */
  async quiet(quietMs = 300, timeoutMs = 15000) {
    const deadline = now() + timeoutMs;
    while (now() < deadline) {
      if (this.exited) throw new Error(`the program exited; last output: ${JSON.stringify(this.output.slice(-300))}`);
      const idle = now() - this.lastDataAt;
      if (idle >= quietMs) return;
      await new Promise((r) => setTimeout(r, quietMs - idle + 5));
    }
    throw new Error(`the screen never went quiet within ${timeoutMs} ms`);
  }

  write(data) {
    this.proc.write(data);
  }
}
