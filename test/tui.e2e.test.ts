import headless from '@xterm/headless';
import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, removeHome, startTestDaemon, type TestDaemon } from './support/daemon.js';

const { Terminal } = headless;
const COLS = 100;
const ROWS = 30;

/** The TUI in a pseudo-terminal, its output fed to a headless xterm we can read like a screen. */
class Tui {
  readonly term = new Terminal({ cols: COLS, rows: ROWS, scrollback: 100_000, allowProposedApi: true });
  readonly proc: pty.IPty;
  raw = '';
  exited: Promise<number>;

  constructor(home: string, args: string[], env: Record<string, string> = {}) {
    this.proc = pty.spawn(process.execPath, [CLI, ...args], {
      name: 'xterm-256color',
      cols: COLS,
      rows: ROWS,
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
    for (let i = 0; i < ROWS; i++) rows.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
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

  type(s: string): void {
    this.proc.write(s);
  }

  async quit(): Promise<number> {
    this.type('\x04');
    return this.exited;
  }
}

describe('hermes chat / attach in a pseudo-terminal', () => {
  let daemon: TestDaemon;
  let tui: Tui;

  beforeAll(async () => {
    daemon = await startTestDaemon();
    tui = new Tui(daemon.home, ['chat']);
    await tui.waitFor((t) => t.includes('● idle'), 'the status line');
  });
  afterAll(async () => {
    tui?.proc.kill();
    await daemon?.kill('SIGKILL');
    await removeHome(daemon.home);
  });

  it('types a message and shows the streamed reply', async () => {
    tui.type('say hello from the agent\r');
    await tui.waitFor((t) => t.includes('› say hello from the agent') && /^ {2}hello from the agent/m.test(t), 'the reply');
    await tui.waitFor((t) => t.includes('● idle'), 'idle again', 15_000, () => tui.screen());
  });

  it('answers an approval by key; a stray Enter does nothing', async () => {
    tui.type('approve\r');
    await tui.waitFor((t) => t.includes('Approval needed') && t.includes('$ rm -rf build'), 'the approval prompt', 15_000, () => tui.screen());
    tui.type('\r');
    await new Promise((r) => setTimeout(r, 200));
    expect(tui.screen()).toContain('Approval needed');
    tui.type('o');
    await tui.waitFor((t) => t.includes('decision=once by=tui'), 'the decision');
    expect(tui.text()).toContain('Allow once terminal: rm -rf build, by tui');
  });

  it('attaches from a second terminal and sees the same state; either can answer', async () => {
    tui.type('approve\r');
    await tui.waitFor((t) => t.includes('Approval needed'), 'the prompt in the first terminal', 15_000, () => tui.screen());
    const second = new Tui(daemon.home, ['attach']);
    try {
      await second.waitFor((t) => t.includes('Approval needed') && t.includes('decision=once by=tui') && t.includes('hello from the agent'), 'history and prompt in the second terminal');
      second.type('d');
      await tui.waitFor((t) => t.includes('decision=deny by=tui'), 'the first terminal to see the answer');
      await tui.waitFor((t) => !t.includes('Approval needed'), 'the prompt to close', 15_000, () => tui.screen());
      expect(await second.quit()).toBe(0);
      expect(second.text()).toContain('Resume this session with: hermes chat --session');
    } finally {
      second.proc.kill();
    }
  });

  it('recovers after the daemon is killed and restarted', async () => {
    tui.type('wait 60000\r');
    await tui.waitFor((t) => t.includes('waiting') && t.includes('● streaming'), 'the run', 15_000, () => tui.screen());
    await daemon.kill('SIGKILL');
    await tui.waitFor((t) => t.includes('reconnecting'), 'reconnecting', 15_000, () => tui.screen());
    daemon = await startTestDaemon({ home: daemon.home });
    await tui.waitFor((t) => t.includes('interrupted'), 'the interrupted run', 20_000);
    await tui.waitFor((t) => t.includes('● idle'), 'idle', 15_000, () => tui.screen());
    tui.type('say back again\r');
    await tui.waitFor((t) => /^ {2}back again/m.test(t), 'a reply after the restart');
    // Nothing doubled: the reply before the restart appears once.
    expect(tui.text().match(/^ {2}hello from the agent/gm)?.length).toBe(1);
  });

  it('a 20k-token stream leaves the scrollback intact (no screen clears)', async () => {
    const from = tui.raw.length;
    tui.type('stream 20000\r');
    await tui.waitFor((t) => t.includes('t19999') && t.includes('● idle'), 'the end of the stream', 30_000);
    const written = tui.raw.slice(from);
    expect(written).not.toContain('\x1b[2J');
    expect(written).not.toContain('\x1b[3J');
    // The first exchange is still in the scrollback.
    expect(tui.text()).toContain('› say hello from the agent');
    expect(await tui.quit()).toBe(0);
    expect(tui.text()).toMatch(/Resume this session with: hermes chat --session \S+/);
  });

  it('NO_COLOR: no colour codes at all (the cursor is still shown, in reverse video)', async () => {
    const plain = new Tui(daemon.home, ['chat'], { NO_COLOR: '1' });
    try {
      await plain.waitFor((t) => t.includes('● idle'), 'the status line', 15_000, () => plain.screen());
      // SGR colours: 30–37, 90–97, 38;… (foreground), 40–47, 100–107, 48;… (background).
      expect(plain.raw).not.toMatch(/\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:;[0-9;]*)?m/);
      expect(plain.raw).toContain('\x1b[7m');
    } finally {
      plain.proc.kill();
    }
  });
});
