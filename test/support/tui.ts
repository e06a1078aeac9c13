import headless from '@xterm/headless';
import * as pty from 'node-pty';
import { CLI } from './daemon.js';

const { Terminal } = headless;
const COLS = 100;
const ROWS = 30;

/** The TUI in a pseudo-terminal, its output fed to a headless xterm we can read like a screen. */
export class Tui {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  raw = '';
  exited: Promise<number>;

  constructor(
    home: string,
    args: string[],
    env: Record<string, string> = {},
    size: { cols: number; rows: number } = { cols: COLS, rows: ROWS },
  ) {
    this.term = new Terminal({ cols: size.cols, rows: size.rows, scrollback: 100_000, allowProposedApi: true });
    this.proc = pty.spawn(process.execPath, [CLI, ...args], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: home,
      // CI=true on purpose: Ink draws nothing until exit when it thinks it runs in CI, and CI
      // machines (and some developers' shells) set it. The TUI must draw regardless.
      env: { ...process.env, HERMES_HOME: home, FORCE_COLOR: '1', CI: 'true', ...env } as Record<string, string>,
    });
    this.proc.onData((d) => {
      this.raw += d;
      this.term.write(d);
    });
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Every row, scrollback included, as plain text. */
  text(): string {
    const b = this.term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < b.length; i++) rows.push(b.getLine(i)?.translateToString(true) ?? '');
    return rows.join('\n');
  }

  /** The visible screen only. */
  screen(): string {
    const b = this.term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < this.term.rows; i++) rows.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return rows.join('\n');
  }

  async waitFor(pred: (text: string) => boolean, what: string, timeoutMs = 15_000, where: () => string = () => this.text()): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // The terminal parses asynchronously; flush before reading.
      await new Promise<void>((r) => this.term.write('', r));
      if (pred(where())) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`);
  }

  /** Resizes the terminal as a window manager would: the emulator reflows, then the program gets SIGWINCH. */
  async resize(cols: number, rows: number): Promise<void> {
    await new Promise<void>((r) => this.term.write('', r));
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  type(s: string): void {
    this.proc.write(s);
  }

  async quit(): Promise<number> {
    this.type('\x04');
    return this.exited;
  }
}
