// The chat's /sessions picker at more than a page: paging, filtering as you type, switching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, removeHome, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { Tui } from './support/tui.js';

describe('the /sessions picker with 80 sessions', () => {
  let daemon: TestDaemon;
  let tui: Tui;
  beforeAll(async () => {
    daemon = await startTestDaemon();
    for (let i = 0; i < 80; i++) await api.createSession(daemon.state, { title: i === 3 ? 'Fix the LOGIN page' : `chore ${i}` });
    tui = new Tui(daemon.home, ['chat']);
    await tui.waitFor((t) => t.includes('● idle'), 'the status line');
  }, 60_000);
  afterAll(async () => {
    tui?.proc.kill();
    await daemon?.kill('SIGKILL');
    await removeHome(daemon.home);
  });

  it('opens on the first page, loads the next as the selection nears the end, and filters as you type', async () => {
    tui.type('/sessions\r');
    // 80 made here + the chat's own: 50 loaded of 81.
    await tui.waitFor(
      (t) => t.includes('Switch session  50 of 81'),
      'the first page',
      15_000,
      () => tui.screen(),
    );
    for (let i = 0; i < 47; i++) tui.type('\x1b[B');
    await tui.waitFor(
      (t) => /Switch session {2}81 {2}type to filter/.test(t),
      'the second page',
      15_000,
      () => tui.screen(),
    );
    tui.type('login');
    await tui.waitFor(
      (t) => t.includes('filter: login▏') && /\b1 · Backspace edits/.test(t) && t.includes('Fix the LOGIN page'),
      'the filtered list',
      15_000,
      () => tui.screen(),
    );
    expect(tui.screen()).not.toContain('chore 7');
    tui.type('zzz');
    await tui.waitFor(
      (t) => t.includes('no session matches'),
      'no match',
      15_000,
      () => tui.screen(),
    );
    for (let i = 0; i < 3; i++) tui.type('\x7f');
    await tui.waitFor(
      (t) => t.includes('Fix the LOGIN page') && t.includes('filter: login▏'),
      'the match again',
      15_000,
      () => tui.screen(),
    );
    tui.type('\r');
    await tui.waitFor(
      (t) => !t.includes('Switch session') && t.includes('Fix the LOGIN page'),
      'the switch',
      15_000,
      () => tui.screen(),
    );
    expect(await tui.quit()).toBe(0);
  }, 90_000);
});
