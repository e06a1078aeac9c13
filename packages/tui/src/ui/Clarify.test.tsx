import type { ClarifyQuestion } from '@hermes/protocol';
import { render } from 'ink-testing-library';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat } from './Chat.js';
import { base, ev, fakeStore, strip, tick, waitFor } from './testing/fake-store.test-helpers.js';

/** The clarify picker in the chat: keys drive it, the answer goes to the store, another client's answer closes it. */
let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hermes-clarify-test-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const SIZE = { columns: 100, rows: 30 };
const DB: ClarifyQuestion = { question: 'Which database?', header: 'Database', options: [{ label: 'SQLite' }, { label: 'Postgres' }] };
const NAME: ClarifyQuestion = { question: 'What is it called?' };
const asked = (questions: ClarifyQuestion[], clarifyId = 'q1') => [
  ...base(),
  ev({ type: 'tool.started', runId: 'r1', data: { toolCallId: 't1', name: 'clarify', args: { questions } } }),
  ev({ type: 'clarify.requested', runId: 'r1', data: { clarifyId, toolCallId: 't1', questions } }),
];

describe('clarify in the chat', () => {
  it('arrows and Enter answer; the typed draft underneath is kept', async () => {
    const f = fakeStore(base());
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    r.stdin.write('half a thought');
    await tick();
    f.store.push(asked([DB]).slice(4));
    await waitFor(() => strip(r.lastFrame()).includes('› 1. SQLite'), 'the picker');
    expect(strip(r.lastFrame())).not.toContain('half a thought');
    r.stdin.write('\x1b[B');
    await waitFor(() => strip(r.lastFrame()).includes('› 2. Postgres'), 'the move');
    r.stdin.write('\r');
    await waitFor(() => f.clarified.length === 1, 'the answer');
    expect(f.clarified[0]).toEqual({ clarifyId: 'q1', answers: [['Postgres']] });
    // Keys while the answer is on its way do not send a second one.
    r.stdin.write('\r');
    await tick(60);
    expect(f.clarified).toHaveLength(1);
    f.store.push([
      ev({ type: 'clarify.resolved', runId: 'r1', data: { clarifyId: 'q1', answers: [['Postgres']], by: 'tui', reason: 'answered' } }),
    ]);
    await waitFor(() => strip(r.lastFrame()).includes('half a thought'), 'the prompt back');
    expect(strip(r.lastFrame())).not.toContain('› 1. SQLite');
    r.unmount();
  });

  it('answered in another terminal: the picker disappears, nothing is sent from here', async () => {
    const f = fakeStore(asked([DB, NAME]));
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await waitFor(() => strip(r.lastFrame()).includes('The agent asks 2 questions'), 'the picker');
    r.stdin.write('2');
    await waitFor(() => strip(r.lastFrame()).includes('What is it called?'), 'the second question');
    f.store.push([
      ev({
        type: 'clarify.resolved',
        runId: 'r1',
        data: { clarifyId: 'q1', answers: [['SQLite'], ['x']], by: 'attach', reason: 'answered' },
      }),
    ]);
    await waitFor(() => !strip(r.lastFrame()).includes('The agent asks'), 'the picker gone');
    expect(strip(r.lastFrame())).toContain('Database · Which database? → SQLite');
    expect(f.clarified).toEqual([]);
    r.unmount();
  });

  it('a new question set starts fresh; Esc dismisses; a paste goes into the typed answer', async () => {
    const f = fakeStore(asked([NAME], 'q1'));
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await waitFor(() => strip(r.lastFrame()).includes('What is it called?'), 'the picker');
    r.stdin.write('\x1b[200~pasted-name\x1b[201~');
    await waitFor(() => strip(r.lastFrame()).includes('pasted-name'), 'the paste');
    r.stdin.write('\x1b');
    await waitFor(() => f.clarified.length === 1, 'the dismissal');
    expect(f.clarified[0]).toEqual({ clarifyId: 'q1', answers: null });
    f.store.push([
      ev({ type: 'clarify.resolved', runId: 'r1', data: { clarifyId: 'q1', answers: null, by: 'tui', reason: 'dismissed' } }),
      ev({ type: 'clarify.requested', runId: 'r1', data: { clarifyId: 'q2', toolCallId: 't2', questions: [NAME] } }),
    ]);
    await waitFor(() => strip(r.lastFrame()).includes('type your answer'), 'the fresh field');
    r.stdin.write('billing');
    await tick();
    r.stdin.write('\r');
    await waitFor(() => f.clarified.length === 2, 'the answer');
    expect(f.clarified[1]).toEqual({ clarifyId: 'q2', answers: [['billing']] });
    r.unmount();
  });

  it('already answered elsewhere (the daemon says 409): a note, no error', async () => {
    const f = fakeStore(asked([DB]), { clarifyTaken: () => false });
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await waitFor(() => strip(r.lastFrame()).includes('› 1. SQLite'), 'the picker');
    r.stdin.write('1');
    await waitFor(() => f.printed.length > 0, 'the note');
    expect(f.printed).toEqual(['this question was already answered']);
    r.unmount();
  });
});
