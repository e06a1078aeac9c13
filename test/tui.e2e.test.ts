import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeHome, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { Tui } from './support/tui.js';

// Two Ink processes start per test; in the full suite on two cores that alone can take many seconds.
describe('hermes chat / attach in a pseudo-terminal', { timeout: 90_000 }, () => {
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
    await tui.waitFor(
      (t) => t.includes('● idle'),
      'idle again',
      15_000,
      () => tui.screen(),
    );
  });

  it('answers an approval by key; a stray Enter does nothing', async () => {
    tui.type('approve\r');
    await tui.waitFor(
      (t) => t.includes('Approval needed') && t.includes('$ rm -rf build'),
      'the approval prompt',
      15_000,
      () => tui.screen(),
    );
    tui.type('\r');
    await new Promise((r) => setTimeout(r, 200));
    expect(tui.screen()).toContain('Approval needed');
    tui.type('o');
    await tui.waitFor((t) => t.includes('decision=once by=tui'), 'the decision');
    expect(tui.text()).toContain('Allow once terminal: rm -rf build, by tui');
  });

  it('attaches from a second terminal and sees the same state; either can answer', async () => {
    tui.type('approve\r');
    await tui.waitFor(
      (t) => t.includes('Approval needed'),
      'the prompt in the first terminal',
      15_000,
      () => tui.screen(),
    );
    const second = new Tui(daemon.home, ['attach']);
    try {
      await second.waitFor(
        (t) => t.includes('Approval needed') && t.includes('decision=once by=tui') && t.includes('hello from the agent'),
        'history and prompt in the second terminal',
      );
      second.type('d');
      await tui.waitFor((t) => t.includes('decision=deny by=tui'), 'the first terminal to see the answer');
      await tui.waitFor(
        (t) => !t.includes('Approval needed'),
        'the prompt to close',
        15_000,
        () => tui.screen(),
      );
      // Ctrl-D quits from the input, not from an approval prompt still open here (a loaded machine delivers the answer later).
      await second.waitFor(
        (t) => !t.includes('Approval needed'),
        'the prompt to close in the second terminal',
        15_000,
        () => second.screen(),
      );
      expect(await second.quit()).toBe(0);
      expect(second.text()).toContain('Resume this session with: hermes chat --session');
    } finally {
      second.proc.kill();
    }
  });

  it('recovers after the daemon is killed and restarted', async () => {
    tui.type('wait 60000\r');
    await tui.waitFor(
      (t) => t.includes('waiting') && t.includes('● streaming'),
      'the run',
      15_000,
      () => tui.screen(),
    );
    await daemon.kill('SIGKILL');
    await tui.waitFor(
      (t) => t.includes('reconnecting'),
      'reconnecting',
      15_000,
      () => tui.screen(),
    );
    daemon = await startTestDaemon({ home: daemon.home });
    await tui.waitFor((t) => t.includes('interrupted'), 'the interrupted run', 20_000);
    await tui.waitFor(
      (t) => t.includes('● idle'),
      'idle',
      15_000,
      () => tui.screen(),
    );
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
      await plain.waitFor(
        (t) => t.includes('● idle'),
        'the status line',
        15_000,
        () => plain.screen(),
      );
      // SGR colours: 30–37, 90–97, 38;… (foreground), 40–47, 100–107, 48;… (background).
      expect(plain.raw).not.toMatch(/\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:;[0-9;]*)?m/);
      expect(plain.raw).toContain('\x1b[7m');
    } finally {
      plain.proc.kill();
    }
  });

  it('a message typed and sent before the screen is up is sent, not left in the input', async () => {
    const early = new Tui(daemon.home, ['chat']);
    try {
      // At once: the terminal is still in cooked mode (its Enter becomes a line feed), then raw while connecting.
      early.type('say hello from the agent\r');
      await early.waitFor(
        (t) => t.includes('› say hello from the agent') && /^ {2}hello from the agent/m.test(t),
        'the reply to the early message',
        30_000,
        () => early.text(),
      );
      await early.waitFor(
        (t) => t.includes('● idle'),
        'idle again',
        15_000,
        () => early.screen(),
      );
    } finally {
      early.proc.kill();
    }
  });
});
