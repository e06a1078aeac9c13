import { render } from 'ink-testing-library';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat } from './Chat.js';
import { base, ev, fakeStore, strip, tick, waitFor } from './testing/fake-store.test-helpers.js';

/** Typing while the agent works: Enter follows tui.busyInput; /steer and /queue; steers shown as such. */
let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hermes-steer-test-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const SIZE = { columns: 100, rows: 30 };
const idle = () => [
  ...base(),
  ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } }),
];
const busyInput = (mode: string) => writeFile(path.join(home, 'config.json'), JSON.stringify({ tui: { busyInput: mode } }));

describe('Enter while a run is going', () => {
  it('queues by default (no delivery sent)', async () => {
    const f = fakeStore(base());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('next please\r');
    await waitFor(() => f.sent.length === 1, 'the send');
    expect(f.deliveries).toEqual([undefined]);
    r.unmount();
  });

  it('steers with tui.busyInput steer, read at the moment of sending; an idle session just gets the message', async () => {
    await busyInput('steer');
    const f = fakeStore(base());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('use pnpm\r');
    await waitFor(() => f.sent.length === 1, 'the steer');
    expect(f.deliveries).toEqual(['steer']);
    // Changed in another terminal: the next Enter follows it.
    await busyInput('queue');
    r.stdin.write('and then this\r');
    await waitFor(() => f.sent.length === 2, 'the queued one');
    expect(f.deliveries[1]).toBeUndefined();
    r.unmount();

    await busyInput('steer');
    const g = fakeStore(idle());
    const r2 = render(<Chat store={g.asStore} home={home} size={SIZE} />);
    await tick();
    r2.stdin.write('hello again\r');
    await waitFor(() => g.sent.length === 1, 'the idle send');
    expect(g.deliveries).toEqual([undefined]);
    r2.unmount();
  });

  it('a broken config.json falls back to queue', async () => {
    await writeFile(path.join(home, 'config.json'), '{ not json');
    const f = fakeStore(base());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('x\r');
    await waitFor(() => f.sent.length === 1, 'the send');
    expect(f.deliveries).toEqual([undefined]);
    r.unmount();
  });
});

describe('/steer and /queue', () => {
  it('/steer TEXT steers and /queue TEXT queues whatever the setting; without text they say how', async () => {
    await busyInput('steer');
    const f = fakeStore(base());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('/steer check the README first\r');
    await waitFor(() => f.sent.length === 1, 'the steer');
    r.stdin.write('/queue then run the tests\r');
    await waitFor(() => f.sent.length === 2, 'the queued message');
    expect(f.sent).toEqual(['check the README first', 'then run the tests']);
    expect(f.deliveries).toEqual(['steer', 'queue']);
    r.stdin.write('/steer\r');
    await waitFor(() => f.printed.some((p) => p.startsWith('usage: /steer')), 'the usage line');
    expect(f.sent).toHaveLength(2);
    r.unmount();
  });

  it('says so when a steer had to queue behind an earlier message', async () => {
    const f = fakeStore(base(), { response: () => ({ messageId: 'm', queued: true, disposition: 'queued' }) });
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('/steer faster\r');
    await waitFor(() => f.printed.length > 0, 'the note');
    expect(f.printed[0]).toContain('queued instead of steering');
    r.unmount();
  });
});

describe('steering messages on screen', () => {
  it('a waiting steer is shown apart from queued messages, and once taken it sits in the run as a steer', async () => {
    const f = fakeStore([
      ...base(),
      ev({ type: 'message.queued', data: { messageId: 'q1', text: 'use pnpm', delivery: 'steer' } }),
      ev({ type: 'message.queued', data: { messageId: 'q2', text: 'later thing' } }),
    ]);
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick(100);
    let screen = strip(r.lastFrame());
    expect(screen).toContain('↪ steering: use pnpm');
    expect(screen).toContain('⏳ queued: later thing');
    expect(screen).toContain('joins the run after its current tool calls');
    expect(screen).toContain('1 steering · 1 queued');
    f.store.push([
      ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: 'looking', toolCalls: [] } }),
      ev({ type: 'message.user', runId: 'r1', data: { messageId: 'q1', text: 'use pnpm', delivery: 'steer' } }),
    ]);
    await tick(100);
    screen = strip(r.lastFrame());
    expect(screen).toContain('↪ steer: use pnpm');
    expect(screen).not.toContain('↪ steering: use pnpm');
    expect(screen).not.toContain('1 steering');
    expect(screen).toContain('1 queued');
    r.unmount();
  });
});
