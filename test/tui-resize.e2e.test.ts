import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startStack, type Stack } from './support/stack.js';
import { Tui } from './support/tui.js';

const listing = Array.from({ length: 40 }, (_, i) => `listing line ${String(i + 1).padStart(2, '0')}`);

// #12 item 11: resizing `attach` to 50×15 and back while a tall block streams. Ink 6.8, once a
// frame was as tall as the (new, smaller) screen, cleared the terminal, replayed every <Static>
// row at its old width and then erased one row too many on the next frame: the row above the
// live region (the user's message) vanished.
describe('attach survives a resize to 50×15 and back during a stream', { timeout: 120_000 }, () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ config: { timeouts: { firstByteMs: 30_000, idleMs: 30_000 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('keeps the user message and every row of the reply, and never wipes the scrollback', async () => {
    const first = await runCli(['send', '-w', stack.work, 'hello'], { home: stack.home, cwd: stack.work }).done;
    expect(first.code).toBe(0);
    const sessionId = /session (\S+)/.exec(first.stderr)?.[1];
    expect(sessionId).toBeTruthy();

    // The reply opens a fence, stops for a while (the block is live and tall), then closes it.
    stack.provider.script(
      {
        type: 'stall',
        afterText: 'Here is the listing:\n\n```text\n' + listing.slice(0, 30).join('\n') + '\n',
        ms: 3000,
        text: listing.slice(30).join('\n') + '\n```\n\nThat is the whole listing.',
      },
      { marker: 'listing' },
    );
    const tui = new Tui(stack.home, ['attach', sessionId!], {}, { cols: 100, rows: 30 });
    try {
      await tui.waitFor(
        (t) => t.includes('● idle'),
        'attach to show the session',
        30_000,
        () => tui.screen(),
      );
      // The session has no model of its own: the status line names the configured one.
      expect(tui.screen()).toContain('hello · scripted:default (default) · ● idle');
      const send = runCli(['send', '-s', sessionId!, '[[script:listing]] USER-MARKER show me the listing'], {
        home: stack.home,
        cwd: stack.work,
        timeoutMs: 60_000,
      });
      await tui.waitFor(
        (t) => t.includes('listing line 30'),
        'the open fence on screen',
        30_000,
        () => tui.screen(),
      );
      const from = tui.raw.length;
      await tui.resize(50, 15);
      await tui.waitFor(
        (t) => t.split('\n').some((row) => row.startsWith('… ') && row.includes('lines hidden')),
        'the narrow layout',
        15_000,
        () => tui.screen(),
      );
      await new Promise((r) => setTimeout(r, 500));
      await tui.resize(100, 30);
      expect((await send.done).code).toBe(0);
      await tui.waitFor(
        (t) => t.includes('That is the whole listing.') && t.includes('● idle'),
        'the end of the reply',
        30_000,
        () => tui.screen(),
      );

      const text = tui.text();
      expect(text).toContain('› [[script:listing]] USER-MARKER show me the listing');
      for (const row of listing) expect(text).toContain(row);
      expect(text).toContain('Here is the listing:');
      // No clear of the screen or of the scrollback since the resize.
      expect(tui.raw.slice(from)).not.toContain('\x1b[3J');
      expect(tui.raw.slice(from)).not.toContain('\x1b[2J');
      expect(await tui.quit()).toBe(0);
    } finally {
      tui.proc.kill();
    }
  });

  it('a shrink on a reflowing terminal leaves no stale copy of the live region behind', async () => {
    const run = async (reflow: '1' | '0') => {
      const tui = new Tui(stack.home, ['chat'], { HERMES_TERMINAL_REFLOW: reflow }, { cols: 100, rows: 30 });
      try {
        await tui.waitFor(
          (t) => t.includes('● idle'),
          'the chat',
          30_000,
          () => tui.screen(),
        );
        // A draft and a status line wider than the new width: the terminal rewraps each to two rows.
        const draft = 'DRAFTSTART ' + Array.from({ length: 14 }, (_, i) => `word${i}`).join(' ');
        tui.type(draft);
        await tui.waitFor(
          (t) => t.includes('word13'),
          'the draft',
          15_000,
          () => tui.screen(),
        );
        await tui.resize(50, 15);
        await tui.waitFor(
          (t) => /^ +word13/m.test(t) || t.split('\n').some((r) => r.length <= 50 && r.includes('word13')),
          'the narrow layout',
          15_000,
          () => tui.screen(),
        );
        await new Promise((r) => setTimeout(r, 500));
        await new Promise<void>((r) => tui.term.write('', r));
        return tui
          .text()
          .split('\n')
          .filter((r) => r.includes('DRAFTSTART')).length;
      } finally {
        tui.proc.kill();
      }
    };
    // The draft's first row is on screen once (with HERMES_TERMINAL_REFLOW=0, Ink's own erase, it is there twice).
    expect(await run('1')).toBe(1);
  });
});
