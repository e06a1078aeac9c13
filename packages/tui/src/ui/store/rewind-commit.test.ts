import type { EventDraft, HermesEvent } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import type { DaemonClient } from '../../client/api.js';
import { SessionStore } from './session-store.js';
import type { StaticEntry } from './scrollback.js';

let seq = 0;
const ev = (d: EventDraft & { runId?: string }): HermesEvent =>
  ({ v: 1, seq: ++seq, sessionId: 's', ts: new Date(1_700_000_000_000 + seq).toISOString(), ...d }) as HermesEvent;
const usage = { inputTokens: 1, outputTokens: 1 };
const files = [
  { path: 'a.txt', status: 'added' as const, additions: 2, deletions: 0 },
  { path: 'b.txt', status: 'modified' as const, additions: 10, deletions: 4 },
];

function turn(n: number, text: string, reply: string, changes = false): HermesEvent[] {
  const runId = `r${n}`;
  return [
    ev({ type: 'message.user', data: { messageId: `u${n}`, text } }),
    ev({ type: 'run.started', runId, data: { model: null } }),
    ev({ type: 'message.started', runId, data: { messageId: `a${n}` } }),
    ev({ type: 'message.delta', runId, data: { messageId: `a${n}`, text: reply } }),
    ev({ type: 'message.completed', runId, data: { messageId: `a${n}`, text: reply, toolCalls: [] } }),
    ...(changes ? [ev({ type: 'checkpoint.created', runId, data: { runId, messageId: `u${n}`, before: 't0', after: 't1', files } })] : []),
    ev({ type: 'run.completed', runId, data: { stopReason: 'done', usage } }),
  ];
}

/** What the scrollback shows, one string per entry. */
const shown = (entries: StaticEntry[]) =>
  entries.map((e) =>
    e.kind === 'local'
      ? `local:${e.text}`
      : e.kind === 'item'
        ? `${e.item.kind}:${'text' in e.item ? e.item.text : ''}`
        : e.kind === 'chunk'
          ? `chunk:${e.text}`
          : e.kind,
  );

function storeWith(events: HermesEvent[]) {
  const store = new SessionStore({ client: {} as DaemonClient, sessionId: 's' });
  store.injectForTest(events);
  store.flush();
  return store;
}

describe('the scrollback across a rewind', () => {
  it('says what a rewind did, and what comes after it is printed (the commit follows the items)', () => {
    seq = 0;
    const store = storeWith([
      ev({ type: 'session.created', data: { title: 't', model: null, workspace: '/w' } }),
      ...turn(1, 'first', 'one'),
      ...turn(2, 'second', 'two', true),
    ]);
    expect(shown(store.getSnapshot().staticEntries)).toContain('changes:');
    const before = store.getSnapshot().staticEntries.length;
    store.injectForTest([
      ev({ type: 'session.rewound', data: { rewindId: 'w1', toMessageId: 'u2', mode: 'both', restored: ['a.txt', 'b.txt'], skipped: [] } }),
    ]);
    store.flush();
    const snap = store.getSnapshot();
    expect(snap.transcript.items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(snap.commit.itemIndex).toBe(snap.transcript.items.length);
    expect(shown(snap.staticEntries.slice(before))).toEqual([
      'local:⟲ rewound to before “second”: hidden from the model · restored 2 files: a.txt, b.txt · /redo takes it back',
    ]);
    // A retry's rewind and its new message in one batch: the new turn is printed.
    store.injectForTest(turn(3, 'third', 'three'));
    store.flush();
    expect(shown(store.getSnapshot().staticEntries.slice(before + 1))).toEqual(['user:third', 'assistant:three']);
  });

  it('an unrewind prints the items that came back below its line; a skipped path is a warning', () => {
    seq = 0;
    const store = storeWith([
      ev({ type: 'session.created', data: { title: 't', model: null, workspace: '/w' } }),
      ...turn(1, 'first', 'one'),
      ...turn(2, 'second', 'two', true),
    ]);
    store.injectForTest([
      ev({ type: 'session.rewound', data: { rewindId: 'w1', toMessageId: 'u1', mode: 'conversation', restored: [], skipped: [] } }),
      ev({
        type: 'session.unrewound',
        data: { rewindId: 'w1', restored: [], skipped: [{ path: 'b.txt', reason: 'changed since the rewind' }] },
      }),
    ]);
    const before = store.getSnapshot().staticEntries.length;
    store.flush();
    const added = store.getSnapshot().staticEntries.slice(before);
    expect(shown(added)).toEqual([
      'local:⟲ rewound to before “first”: hidden from the model (files kept) · no files to restore · /redo takes it back',
      'local:⟳ redo: 2 messages back · no files to restore\n  kept b.txt: changed since the rewind',
      'user:first',
      'assistant:one',
      'user:second',
      'assistant:two',
      'changes:',
    ]);
    expect(added[1]).toMatchObject({ kind: 'local', level: 'warn' });
    // A retry's rewind (its message follows at once) offers no /redo: it cannot be taken back.
    store.injectForTest([
      ev({ type: 'session.rewound', data: { rewindId: 'w2', toMessageId: 'u2', mode: 'conversation', restored: [], skipped: [] } }),
      ev({ type: 'message.user', data: { messageId: 'u3', text: 'second', retryOf: 'u2' } }),
    ]);
    store.flush();
    expect(shown(store.getSnapshot().staticEntries.slice(-2))).toEqual([
      'local:⟲ rewound to before “second”: hidden from the model (files kept) · no files to restore',
      'user:second',
    ]);
    // Keys stay unique although the same items are printed twice.
    const keys = store.getSnapshot().staticEntries.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
