import { render } from 'ink-testing-library';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat } from './Chat.js';
import { base, ev, fakeStore, strip, tick, waitFor } from './testing/fake-store.test-helpers.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hermes-rewind-test-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const files = [{ path: 'a.txt', status: 'added' as const, additions: 12, deletions: 4 }];
const session = () => [
  ...base(),
  ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: 'hi', toolCalls: [] } }),
  ev({ type: 'checkpoint.created', runId: 'r1', data: { runId: 'r1', before: 'x', after: 'y', files } }),
  ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } }),
];

describe('the /rewind picker in the chat', () => {
  it('shows the files-changed line; /rewind lists the messages, Enter on "(now)" does nothing, ↑ Enter Enter rewinds both', async () => {
    const f = fakeStore(session());
    const r = render(<Chat store={f.asStore} home={home} size={{ columns: 80, rows: 24 }} />);
    await tick();
    expect(strip(r.lastFrame())).toContain('1 file changed (+12 −4)');
    r.stdin.write('/rewind\r');
    await waitFor(() => strip(r.lastFrame()).includes('› (now) leave everything as it is'), 'the picker');
    expect(strip(r.lastFrame())).toContain('1. hello');
    r.stdin.write('\r');
    await waitFor(() => !strip(r.lastFrame()).includes('(now)'), 'the picker to close');
    expect(f.rewound).toEqual([]);
    r.stdin.write('/rewind\r');
    await waitFor(() => strip(r.lastFrame()).includes('(now)'), 'the picker again');
    r.stdin.write('\x1b[A');
    await waitFor(() => strip(r.lastFrame()).includes('restores 1 file: a.txt'), 'the detail');
    r.stdin.write('\r');
    await waitFor(() => strip(r.lastFrame()).includes('Restore the conversation and the files'), 'the modes');
    r.stdin.write('\r');
    await waitFor(() => f.rewound.length === 1, 'the rewind');
    expect(f.rewound).toEqual([['u1', 'both']]);
    await waitFor(() => strip(r.lastFrame()).includes('rewound text'), 'the text back in the input');
    r.unmount();
  });
});
