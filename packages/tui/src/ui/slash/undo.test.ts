import { describe, expect, it } from 'vitest';
import type { RewindResponse } from '@hermes/protocol';
import { ApiError } from '../../client/errors.js';
import { forkCommand } from './fork.js';
import { redoCommand } from './redo.js';
import { retryCommand } from './retry.js';
import { undoCommand } from './undo.js';
import type { CommandContext } from './types.js';

function ctxWith(transcript: object, answer: unknown = {}, args = '') {
  const printed: string[] = [];
  const calls: unknown[][] = [];
  const switched: string[] = [];
  let draft: string | undefined;
  const call =
    (name: string) =>
    async (...a: unknown[]) => {
      calls.push([name, ...a]);
      if (answer instanceof Error) throw answer;
      return answer;
    };
  const snapshot = { transcript: { activeRunId: null, items: [], ...transcript } };
  const ctx = {
    args,
    snapshot,
    store: {
      sessionId: 's1',
      getSnapshot: () => snapshot,
      rewind: call('rewind'),
      switchTo: async (id: string) => void switched.push(id),
      client: { unrewind: call('unrewind'), retry: call('retry'), fork: call('fork') },
    },
    print: (_l: string, t: string) => printed.push(t),
    setDraft: (t: string) => {
      draft = t;
    },
  } as unknown as CommandContext;
  return { ctx, printed, calls, switched, draft: () => draft };
}

const items = [{ kind: 'user', messageId: 'm1', text: 'first' }, { kind: 'assistant' }, { kind: 'user', messageId: 'm2', text: 'second' }];

describe('/undo', () => {
  const answer: RewindResponse = { rewindId: 'w', toMessageId: 'm2', mode: 'both', restored: ['a.txt'], skipped: [], text: 'second' };
  it('rewinds the last user message (both) and puts its text back; the store prints what it did', async () => {
    const t = ctxWith({ items }, answer);
    await undoCommand.run(t.ctx);
    expect(t.calls).toEqual([['rewind', 'm2', 'both']]);
    expect(t.printed).toEqual([]);
    expect(t.draft()).toBe('second');
  });
  it('a message that began with / comes back escaped (//), so Enter sends it again instead of running a command', async () => {
    const t = ctxWith(
      { items: [{ kind: 'user', messageId: 'm1', text: '/tool write_file {}' }] },
      { ...answer, text: '/tool write_file {}' },
    );
    await undoCommand.run(t.ctx);
    expect(t.draft()).toBe('//tool write_file {}');
  });
  it('refuses during a run, and with nothing to undo; a daemon error is said', async () => {
    const busy = ctxWith({ items, activeRunId: 'run_1' }, answer);
    await undoCommand.run(busy.ctx);
    expect(busy.calls).toEqual([]);
    expect(busy.printed[0]).toMatch(/a run is in progress/);
    const empty = ctxWith({}, answer);
    await undoCommand.run(empty.ctx);
    expect(empty.printed).toEqual(['nothing to undo']);
    const refused = ctxWith({ items }, new ApiError(409, 'conflict', 'the session is busy'));
    await undoCommand.run(refused.ctx);
    expect(refused.printed).toEqual(['could not undo: the session is busy']);
    expect(refused.draft()).toBeUndefined();
  });
});

describe('/redo, /retry, /fork', () => {
  const rewinds = [
    { rewindId: 'w1', unrewound: true },
    { rewindId: 'w2', unrewound: false },
    { rewindId: 'w3', unrewound: true },
  ];
  it('/redo takes back the latest rewind still in force; nothing to redo says so; a 409 is explained', async () => {
    const t = ctxWith({ items, rewinds });
    await redoCommand.run(t.ctx);
    expect(t.calls).toEqual([['unrewind', 's1', { rewindId: 'w2' }]]);
    const none = ctxWith({ items, rewinds: [{ rewindId: 'w1', unrewound: true }] });
    await redoCommand.run(none.ctx);
    expect(none.calls).toEqual([]);
    expect(none.printed).toEqual(['nothing to redo']);
    const late = ctxWith({ items, rewinds }, new ApiError(409, 'conflict', 'a message was sent since the rewind'));
    await redoCommand.run(late.ctx);
    expect(late.printed).toEqual(['could not redo: a message was sent since the rewind']);
  });
  it('/retry undoes the files too unless keep-files; refuses junk and an empty session', async () => {
    const t = ctxWith({ items });
    await retryCommand.run(t.ctx);
    expect(t.calls).toEqual([['retry', 's1', { mode: 'both' }]]);
    const keep = ctxWith({ items }, {}, 'keep-files');
    await retryCommand.run(keep.ctx);
    expect(keep.calls).toEqual([['retry', 's1', { mode: 'conversation' }]]);
    const junk = ctxWith({ items }, {}, 'please');
    await retryCommand.run(junk.ctx);
    expect(junk.calls).toEqual([]);
    expect(junk.printed).toEqual(['usage: /retry [keep-files]']);
    const empty = ctxWith({});
    await retryCommand.run(empty.ctx);
    expect(empty.printed).toEqual(['nothing to retry yet']);
  });
  it('/fork forks all or before the Nth message, switches to the fork and puts that message in the input', async () => {
    const fork = { session: { id: 'f1' }, text: 'second' };
    const all = ctxWith({ items }, { session: { id: 'f0' } });
    await forkCommand.run(all.ctx);
    expect(all.calls).toEqual([['fork', 's1', {}]]);
    expect(all.switched).toEqual(['f0']);
    const at = ctxWith({ items }, fork, '2');
    await forkCommand.run(at.ctx);
    expect(at.calls).toEqual([['fork', 's1', { atMessageId: 'm2' }]]);
    expect(at.switched).toEqual(['f1']);
    expect(at.draft()).toBe('second');
    for (const bad of ['0', '3', 'x', '1.5']) {
      const b = ctxWith({ items }, fork, bad);
      await forkCommand.run(b.ctx);
      expect(b.calls).toEqual([]);
      expect(b.printed[0]).toBe('usage: /fork [N], N from 1 to 2 (your messages, oldest first)');
    }
  });
});
