import type { SessionSummary } from '@hermes/protocol';
import { render } from 'ink-testing-library';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat } from './Chat.js';
import { base, ev, fakeStore, strip, tick, waitFor } from './testing/fake-store.test-helpers.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hermes-chat-test-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const SIZE = { columns: 80, rows: 24 };
const idle = () => [
  ...base(),
  ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } }),
];

function sessions(n: number): SessionSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `2026112${i}_120000_abc${i}`,
    title: `session ${i}`,
    model: null,
    workspace: '/w',
    createdAt: '2026-11-24T12:00:00Z',
    updatedAt: new Date(Date.UTC(2026, 10, 24, 12, 59 - i)).toISOString(),
    status: 'idle' as const,
    lastSeq: 1,
  }));
}

describe('the /sessions picker', () => {
  it('counts every ↓ of a fast burst (one chunk of ten presses)', async () => {
    const list = sessions(15);
    const f = fakeStore(idle(), { sessions: list });
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('/sessions\r');
    await tick();
    expect(strip(r.lastFrame())).toContain('Switch session');
    r.stdin.write('\x1b[B'.repeat(10));
    await tick();
    r.stdin.write('\r');
    await tick();
    expect(f.switched).toEqual([list[10]!.id]);
    r.unmount();
  });
});

describe('pastes and the history', () => {
  const paste = Array.from({ length: 12 }, (_, i) => `log line ${i}`).join('\n');

  it('↑ then Enter sends the pasted text again, in the session and after a restart', async () => {
    const f = fakeStore(idle());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('why: ');
    r.stdin.write(`\x1b[200~${paste}\x1b[201~`);
    await tick();
    expect(strip(r.lastFrame())).toContain('[Pasted text #1: 12 lines]');
    r.stdin.write('\r');
    await waitFor(() => f.sent.length === 1, 'the first send');
    expect(f.sent).toEqual([`why: ${paste}`]);
    r.stdin.write('\x1b[A');
    await tick();
    r.stdin.write('\r');
    await waitFor(() => f.sent.length === 2, 'the second send');
    expect(f.sent[1]).toBe(`why: ${paste}`);
    r.unmount();

    // A new chat on the same home: the history file has the paste too.
    const g = fakeStore(idle());
    const r2 = render(<Chat store={g.asStore} home={home} size={SIZE} />);
    // ↑ does nothing until the history file is read; press until it does.
    await waitFor(() => {
      r2.stdin.write('\x1b[A');
      return strip(r2.lastFrame()).includes('[Pasted text #1: 12 lines]');
    }, 'the recalled entry');
    r2.stdin.write('\r');
    await waitFor(() => g.sent.length === 1, 'the send after restart');
    expect(g.sent).toEqual([`why: ${paste}`]);
    expect(g.sent[0]).not.toContain('[Pasted text');
    r2.unmount();
  });
});

describe('a message the daemon did not take', () => {
  it('goes back into the prompt (typed while reconnecting)', async () => {
    let fail = true;
    const f = fakeStore(idle(), {
      send: async () => {
        if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:4567');
      },
    });
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('please keep me\r');
    await waitFor(() => f.printed.length > 0, 'the error');
    await waitFor(() => strip(r.lastFrame()).includes('› please keep me'), 'the draft back');
    expect(f.sent).toEqual([]);
    expect(f.printed.join('\n')).toMatch(/not sent .*ECONNREFUSED/);
    fail = false;
    r.stdin.write('\r');
    await waitFor(() => f.sent.length === 1, 'the send');
    expect(f.sent).toEqual(['please keep me']);
    expect(strip(r.lastFrame())).not.toContain('› please keep me');
    r.unmount();
  });
});

describe('Esc with queued messages', () => {
  it('cancels the run, says what waits, and a second Esc clears the queue', async () => {
    const f = fakeStore([
      ...base(),
      ev({ type: 'message.queued', data: { messageId: 'q1', text: 'first queued' } }),
      ev({ type: 'message.queued', data: { messageId: 'q2', text: 'second queued' } }),
    ]);
    let cancels = 0;
    f.store.cancel = async () => {
      cancels++;
      return true;
    };
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('\x1b');
    await waitFor(() => cancels === 1, 'the cancel');
    await tick(100);
    expect(strip(r.lastFrame())).toContain('2 queued messages will run next · Esc again clears the queue');
    expect(f.withdrawn).toEqual([]);
    r.stdin.write('\x1b');
    await waitFor(() => f.printed.length > 0, 'the queue cleared');
    expect(f.withdrawn).toEqual(['q1', 'q2']);
    expect(f.printed).toContain('cleared 2 queued messages');
    r.unmount();
  });
});

describe('the / menu', () => {
  it('shows several commands on a small screen (50×15), not one of 21', async () => {
    const f = fakeStore(idle());
    const r = render(<Chat store={f.asStore} home={home} size={{ columns: 50, rows: 15 }} />);
    await tick();
    r.stdin.write('/');
    await waitFor(() => strip(r.lastFrame()).includes('↑↓ for more'), 'the menu');
    const entries = strip(r.lastFrame())
      .split('\n')
      .filter((l) => /^ {2}[› ] \/\w/.test(l));
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(strip(r.lastFrame())).toMatch(new RegExp(`1–${entries.length} of \\d+ · ↑↓ for more`));
    r.unmount();
  });
});

describe('Ctrl+O', () => {
  it('asks the store to print the last tool call in full, and says so when there is none', async () => {
    const f = fakeStore(idle());
    let expanded = 0;
    const r = render(
      <Chat store={{ ...f.store, expandLastTool: () => ++expanded > 1 } as unknown as typeof f.asStore} home={home} size={SIZE} />,
    );
    await tick();
    r.stdin.write('\x0f');
    await waitFor(() => strip(r.lastFrame()).includes('no tool output to expand yet'), 'the word that nothing is there');
    r.stdin.write('\x0f');
    await waitFor(() => expanded === 2, 'the second Ctrl+O');
    r.unmount();
  });
});

describe('Ctrl+C twice', () => {
  it('exits without leaving "Press Ctrl+C again" in the last frame', async () => {
    const f = fakeStore(idle());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('\x03');
    await tick();
    expect(strip(r.lastFrame())).toContain('Press Ctrl+C again to exit');
    r.stdin.write('\x03');
    await tick(60);
    expect(strip(r.lastFrame())).not.toContain('Press Ctrl+C again');
    r.unmount();
  });
});

describe('waiting for the first token', () => {
  it('shows a spinner and the time waited, not a static …', async () => {
    const f = fakeStore(base());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    const screen = strip(r.lastFrame());
    expect(screen).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for the model · 3\.\ds/);
    expect(screen).toContain('● waiting');
    r.unmount();
  });
  it('says in the status line that the provider is retrying, and why', async () => {
    const f = fakeStore([
      ...base(),
      ev({
        type: 'notice',
        runId: 'r1',
        data: { level: 'warn', message: 'rate limited by openai (429); retrying in 2.0 s (attempt 2/4)' },
      }),
    ]);
    const r = render(<Chat store={f.asStore} home={home} size={{ columns: 140, rows: 24 }} />);
    await tick();
    expect(strip(r.lastFrame())).toContain('● retrying: rate limited by openai (429); retrying in 2.0 s (attempt 2/4)');
    r.unmount();
  });
  const retryEvent = (agoMs: number, delayMs: number) => ({
    ...ev({
      type: 'notice',
      runId: 'r1',
      data: {
        level: 'warn',
        message: `rate limited by openai (429); retrying in ${(delayMs / 1000).toFixed(1)} s (attempt 2/4)`,
        retry: { attempt: 2, maxAttempts: 4, delayMs, reason: 'rate limited by openai (429)' },
      },
    }),
    ts: new Date(Date.now() - agoMs).toISOString(),
  });
  it('counts a retry down while it waits, from the notice time', async () => {
    const f = fakeStore([...base(), retryEvent(500, 60_000)]);
    const r = render(<Chat store={f.asStore} home={home} size={{ columns: 140, rows: 24 }} />);
    await tick();
    const screen = strip(r.lastFrame());
    expect(screen).toMatch(/● retrying in (59|60) s \(attempt 2\/4\): rate limited by openai \(429\)/);
    expect(screen).toMatch(/retrying in (59|60) s \(attempt 2\/4\) · Esc cancels/);
    r.unmount();
  });
  it('once the retry wait is over, says the new attempt is waiting instead of the stale "retrying in"', async () => {
    const f = fakeStore([...base(), retryEvent(5000, 500)]);
    const r = render(<Chat store={f.asStore} home={home} size={{ columns: 140, rows: 24 }} />);
    await tick();
    const screen = strip(r.lastFrame());
    // The notice above stays as the record of what was said then; what is happening now is below it.
    const now = screen.slice(screen.indexOf('retrying in 0.5 s (attempt 2/4)') + 1);
    expect(now).toContain('● attempt 2/4: waiting for the model (after: rate limited by openai (429))');
    expect(now).toContain('waiting for the model (attempt 2/4)');
    expect(now).not.toContain('retrying in');
    r.unmount();
  });
});
