import { describe, expect, it } from 'vitest';
import type { Transcript } from '@hermes/protocol';
import type { Key } from '../keys/parse.js';
import { openRewindPicker, rewindPickerKey, type RewindPickerState } from './rewind-picker-state.js';
import { rewindPickerLines } from './RewindPicker.js';

const k = (name: Key['name'], text = '', ctrl = false): Key => ({ name, text, ctrl, meta: false, shift: false });
const files = [{ path: 'a.txt', status: 'added' as const, additions: 1, deletions: 0 }];
const t: Pick<Transcript, 'items' | 'checkpoints'> = {
  items: [
    { kind: 'user', seq: 2, messageId: 'u1', text: 'first' },
    { kind: 'user', seq: 5, messageId: 'u2', text: 'second\nline two' },
  ],
  checkpoints: [{ seq: 4, runId: 'r1', before: 'b', after: 'a', files }],
};
const press = (s: RewindPickerState, ...keys: Key[]) => {
  let state: RewindPickerState | null = s;
  let action;
  for (const key of keys) {
    const r = rewindPickerKey(state!, key);
    state = r.state;
    action = r.action;
  }
  return { state, action };
};
const text = (s: RewindPickerState, width = 60, rows = 10) => rewindPickerLines(s, width, rows).map((l) => l.map((x) => x.text).join(''));

describe('the /rewind picker', () => {
  it('opens on "(now)": a stray Enter closes it and does nothing', () => {
    const s = openRewindPicker(t);
    expect(s.index).toBe(2);
    expect(text(s)).toContain('› (now) leave everything as it is');
    expect(press(s, k('enter'))).toEqual({ state: null, action: undefined });
  });
  it('↑ picks a message; its detail says what would be undone; Enter asks what to restore', () => {
    const s = openRewindPicker(t);
    const up = press(s, k('up'), k('up')).state!;
    expect(text(up).join('\n')).toContain('› 1. first');
    expect(text(up).join('\n')).toContain('hides 2 messages · restores 1 file: a.txt');
    const mode = press(up, k('enter')).state!;
    expect(mode.step).toBe('mode');
    expect(text(mode)[0]).toContain('Rewind to before “first”');
    expect(mode.step === 'mode' && mode.options).toEqual(['both', 'conversation', 'code', 'fork', 'cancel']);
    expect(press(mode, k('enter')).action).toEqual({ option: 'both', choice: expect.objectContaining({ messageId: 'u1' }) });
    expect(press(mode, k('down'), k('down'), k('enter')).action?.option).toBe('code');
    expect(press(mode, k('end'), k('enter'))).toEqual({ state: null, action: undefined });
    // Esc goes back to the list on the same message; Esc there closes; Ctrl-C closes at once.
    const back = press(mode, k('escape')).state!;
    expect(back).toMatchObject({ step: 'message', index: 0 });
    expect(press(back, k('escape')).state).toBeNull();
    expect(press(mode, k('char', 'c', true)).state).toBeNull();
  });
  it('a message after which no run changed files offers the conversation and fork only', () => {
    const s = press(openRewindPicker(t), k('up'), k('enter')).state!;
    expect(s.step === 'mode' && s.options).toEqual(['conversation', 'fork', 'cancel']);
    expect(press(s, k('down'), k('enter')).action).toMatchObject({ option: 'fork', choice: { messageId: 'u2' } });
  });
  it('a long list keeps the selection on screen in few rows, and long or multi-line text fits the width', () => {
    const many: Pick<Transcript, 'items' | 'checkpoints'> = {
      items: Array.from({ length: 40 }, (_, i) => ({
        kind: 'user' as const,
        seq: i + 1,
        messageId: `u${i}`,
        text: `message ${i} ${'x'.repeat(200)}`,
      })),
    };
    const s = openRewindPicker(many);
    const lines = text(s, 40, 6);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines.some((l) => l.startsWith('› (now)'))).toBe(true);
    const top = press(s, k('home')).state!;
    expect(text(top, 40, 6).some((l) => l.startsWith('› 1. message 0'))).toBe(true);
    for (const l of text(top, 40, 6)) expect(l.length).toBeLessThanOrEqual(40);
  });
});
