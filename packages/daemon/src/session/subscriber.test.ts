import { describe, expect, it } from 'vitest';
import { Subscriber, type EventFrame } from './subscriber.js';

const f = (seq: number): EventFrame => ({ seq, frame: `id: ${seq}\nevent: notice\ndata: {"seq":${seq}}\n\n` });
const seqsIn = (writes: string[]) => [...writes.join('').matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

function sink(buffered = 0) {
  const writes: string[] = [];
  let destroyed = false;
  return {
    writes,
    get destroyed() {
      return destroyed;
    },
    sink: { write: (frame: string) => (writes.push(frame), true), buffered, destroy: () => (destroyed = true) },
  };
}

describe('Subscriber', () => {
  it('replay and live join without gap or duplicate: live events held during the replay, replayed seqs dropped', () => {
    const s = sink();
    const sub = new Subscriber(s.sink, 2);
    sub.sendReplay(f(2)); // at the cursor: already delivered before this connection
    sub.sendReplay(f(3));
    sub.deliver([f(4), f(5)]); // committed while the replay runs: held
    sub.sendReplay(f(4)); // the replay read it too
    expect(seqsIn(s.writes)).toEqual([3, 4]);
    sub.goLive();
    sub.deliver([f(5), f(6)]); // 5 came with the held batch already
    sub.deliver([f(7)]);
    expect(seqsIn(s.writes)).toEqual([3, 4, 5, 6, 7]);
    expect(sub.lastSentSeq).toBe(7);
  });

  it('a live batch goes out in one write, with the frames exactly as given (no re-encoding)', () => {
    const s = sink();
    const sub = new Subscriber(s.sink, 0);
    sub.goLive();
    const batch = [f(1), f(2), f(3)];
    sub.deliver(batch);
    expect(s.writes).toEqual([batch.map((b) => b.frame).join('')]);
  });

  it('a subscriber holding more than its byte cap during a replay is cut (it resumes from the log)', () => {
    const s = sink();
    const sub = new Subscriber(s.sink, 0, 100);
    sub.deliver([f(1)]);
    expect(s.destroyed).toBe(false);
    sub.deliver([f(2), f(3), f(4)]);
    expect(s.destroyed).toBe(true);
    expect(sub.closed).toBe(true);
    sub.goLive();
    sub.deliver([f(5)]);
    expect(s.writes).toEqual([]);
  });

  it('a sink over the cap is cut on write', () => {
    const s = sink(1000);
    const sub = new Subscriber(s.sink, 0, 10);
    sub.goLive();
    sub.deliver([f(1)]);
    expect(s.destroyed).toBe(true);
  });
});
