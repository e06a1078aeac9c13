import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeltaBatcher, type DeltaType } from './delta-batcher.js';

describe('DeltaBatcher', () => {
  let sent: Array<[DeltaType, string, number]>;
  let batcher: DeltaBatcher;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    batcher = new DeltaBatcher(
      16,
      (type, text) => sent.push([type, text, Date.now()]),
      () => Date.now(),
    );
  });
  afterEach(() => vi.useRealTimers());

  it('sends the first delta at once, then at most one batch per window', () => {
    const t0 = Date.now();
    batcher.push('message.delta', 'a');
    expect(sent).toEqual([['message.delta', 'a', t0]]);
    batcher.push('message.delta', 'b');
    batcher.push('message.delta', 'c');
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(15);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent[1]).toEqual(['message.delta', 'bc', t0 + 16]);
  });

  it('sends at once again after a quiet spell', () => {
    batcher.push('message.delta', 'a');
    vi.advanceTimersByTime(100);
    batcher.push('message.delta', 'b');
    expect(sent.map((s) => s[1])).toEqual(['a', 'b']);
  });

  it('keeps the order across types: held text goes out before the other type', () => {
    batcher.push('reasoning.delta', 'think1');
    batcher.push('reasoning.delta', 'think2');
    batcher.push('message.delta', 'say1');
    batcher.push('message.delta', 'say2');
    batcher.flush();
    expect(sent.map(([type, text]) => [type, text])).toEqual([
      ['reasoning.delta', 'think1'],
      ['reasoning.delta', 'think2'],
      ['message.delta', 'say1say2'],
    ]);
  });

  it('flush sends what is held and cancels the timer; nothing is lost or doubled', () => {
    const pieces = Array.from({ length: 1000 }, (_, i) => `t${i} `);
    for (const [i, p] of pieces.entries()) {
      batcher.push('message.delta', p);
      if (i % 7 === 0) vi.advanceTimersByTime(3);
    }
    batcher.flush();
    vi.advanceTimersByTime(1000);
    expect(sent.map((s) => s[1]).join('')).toBe(pieces.join(''));
    // About one batch per 16 ms of the ~430 ms the pieces took, plus the first.
    expect(sent.length).toBeLessThan(40);
  });

  it('an interval of 0 sends every delta as it comes', () => {
    const every = new DeltaBatcher(
      0,
      (type, text) => sent.push([type, text, 0]),
      () => Date.now(),
    );
    every.push('message.delta', 'a');
    every.push('message.delta', 'b');
    expect(sent.map((s) => s[1])).toEqual(['a', 'b']);
  });

  it('a very large batch goes out without waiting for the window', () => {
    batcher.push('message.delta', 'a');
    batcher.push('message.delta', 'x'.repeat(40_000));
    expect(sent).toHaveLength(2);
  });
});
