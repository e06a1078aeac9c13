import { describe, expect, it } from 'vitest';
import type { RewindResponse } from '@hermes/protocol';
import { undoCommand } from './undo.js';
import type { CommandContext } from './types.js';

function ctxWith(items: unknown[], answer: RewindResponse, activeRunId: string | null = null) {
  const printed: string[] = [];
  const calls: unknown[][] = [];
  let draft = '';
  const ctx = {
    args: '',
    snapshot: { transcript: { items, activeRunId } },
    store: {
      rewind: async (...a: unknown[]) => {
        calls.push(a);
        return answer;
      },
    },
    print: (_l: string, t: string) => printed.push(t),
    setDraft: (t: string) => {
      draft = t;
    },
  } as unknown as CommandContext;
  return { ctx, printed, calls, draft: () => draft };
}

describe('/undo', () => {
  const answer: RewindResponse = {
    rewindId: 'w',
    toMessageId: 'm2',
    mode: 'both',
    restored: ['a.txt', 'b.txt'],
    skipped: [{ path: 'c.txt', reason: 'changed since' }],
    text: 'second',
  };
  it('rewinds the last user message, says what it restored and kept, and puts the text back', async () => {
    const t = ctxWith(
      [{ kind: 'user', messageId: 'm1', text: 'first' }, { kind: 'assistant' }, { kind: 'user', messageId: 'm2', text: 'second' }],
      answer,
    );
    await undoCommand.run(t.ctx);
    expect(t.calls).toEqual([['m2', 'both']]);
    expect(t.printed).toEqual(['rewound · restored 2 files: a.txt, b.txt\n  kept c.txt: changed since']);
    expect(t.draft()).toBe('second');
  });
  it('refuses during a run, and with nothing to undo', async () => {
    const busy = ctxWith([{ kind: 'user', messageId: 'm1', text: 'x' }], answer, 'run_1');
    await undoCommand.run(busy.ctx);
    expect(busy.calls).toEqual([]);
    const empty = ctxWith([], answer);
    await undoCommand.run(empty.ctx);
    expect(empty.printed).toEqual(['nothing to undo']);
  });
});
