import { describe, expect, it } from 'vitest';
import { emptyTranscript, fold, type EventDraft, type HermesEvent, type QueuedMessage } from '@hermes/protocol';
import { canSteer, takeSteers, waitingSteers } from './steering.js';

const q = (messageId: string, delivery?: 'steer' | 'interrupt') => ({ messageId, text: messageId, ...(delivery ? { delivery } : {}) });

describe('steering order', () => {
  it('takes only the steers at the head of the queue, in order', () => {
    expect(waitingSteers([q('a', 'steer'), q('b', 'steer'), q('c'), q('d', 'steer')], new Set()).map((m) => m.messageId)).toEqual([
      'a',
      'b',
    ]);
    expect(waitingSteers([q('a'), q('b', 'steer')], new Set())).toEqual([]);
    expect(waitingSteers([], new Set())).toEqual([]);
  });
  it('skips withdrawn messages, which neither count nor block', () => {
    expect(waitingSteers([q('a'), q('b', 'steer')], new Set(['a'])).map((m) => m.messageId)).toEqual(['b']);
    expect(waitingSteers([q('a', 'steer')], new Set(['a']))).toEqual([]);
  });
  it('lets a steer in only behind other steers (an interrupt or a plain message before it keeps it queued)', () => {
    expect(canSteer([], new Set())).toBe(true);
    expect(canSteer([q('a', 'steer')], new Set())).toBe(true);
    expect(canSteer([q('a', 'steer'), q('b')], new Set())).toBe(false);
    expect(canSteer([q('a', 'interrupt')], new Set())).toBe(false);
    expect(canSteer([q('a')], new Set(['a']))).toBe(true);
  });
});

describe('takeSteers', () => {
  /** A session whose log folds what is emitted, except the messages named in `refuse` (a write the disk refused). */
  function session(queued: QueuedMessage[], refuse: string[] = []) {
    let seq = 0;
    const s = {
      transcript: { ...emptyTranscript('s'), queued },
      withdrawn: new Set<string>(),
      runOfMessage: new Map<string, string>(),
    };
    const emitted: EventDraft[] = [];
    const emit = async (draft: EventDraft) => {
      emitted.push(draft);
      if (draft.type === 'message.user' && refuse.includes(draft.data.messageId)) return;
      const event = { ...draft, v: 1, seq: ++seq, ts: '', sessionId: 's', runId: 'run_1' } as HermesEvent;
      s.transcript = fold(s.transcript, [event]);
    };
    return { s, emit, emitted };
  }

  it('writes the waiting steers as message.user of the run, in order, and claims them for it', async () => {
    const { s, emit, emitted } = session([q('a', 'steer'), q('b', 'steer'), q('c')]);
    expect(await takeSteers(s, 'run_1', emit)).toEqual(['a', 'b']);
    expect(emitted.map((d) => d.type === 'message.user' && [d.data.messageId, d.data.delivery])).toEqual([
      ['a', 'steer'],
      ['b', 'steer'],
    ]);
    expect(s.transcript.queued.map((m) => m.messageId)).toEqual(['c']);
    expect([...s.runOfMessage]).toEqual([
      ['a', 'run_1'],
      ['b', 'run_1'],
    ]);
  });

  it('a steer whose event was not written stays queued and unclaimed, for the next run', async () => {
    const { s, emit } = session([q('a', 'steer'), q('b', 'steer')], ['b']);
    expect(await takeSteers(s, 'run_1', emit)).toEqual(['a']);
    expect(s.transcript.queued.map((m) => m.messageId)).toEqual(['b']);
    expect(s.runOfMessage.has('b')).toBe(false);
  });
});
