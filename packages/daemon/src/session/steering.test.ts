import { describe, expect, it } from 'vitest';
import { canSteer, waitingSteers } from './steering.js';

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
