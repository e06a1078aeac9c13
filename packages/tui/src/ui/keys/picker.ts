import type { Key } from './parse.js';

export interface PickerState {
  index: number;
  count: number;
}

export type PickerResult = { kind: 'move'; index: number } | { kind: 'close' } | { kind: 'open'; index: number } | { kind: 'none' };

/** The /sessions picker's keys, from the current selection (read from a ref, so a burst of ↓ all count). */
export function pickerKey(s: PickerState, key: Key): PickerResult {
  const last = Math.max(0, s.count - 1);
  if (key.name === 'escape' || (key.name === 'char' && key.ctrl && key.text === 'c')) return { kind: 'close' };
  if (key.name === 'up' || (key.name === 'char' && key.ctrl && key.text === 'p')) return { kind: 'move', index: Math.max(0, s.index - 1) };
  if (key.name === 'down' || (key.name === 'char' && key.ctrl && key.text === 'n'))
    return { kind: 'move', index: Math.min(last, s.index + 1) };
  if (key.name === 'pageup') return { kind: 'move', index: Math.max(0, s.index - 10) };
  if (key.name === 'pagedown') return { kind: 'move', index: Math.min(last, s.index + 10) };
  if (key.name === 'home') return { kind: 'move', index: 0 };
  if (key.name === 'end') return { kind: 'move', index: last };
  if (key.name === 'enter') return { kind: 'open', index: s.index };
  return { kind: 'none' };
}
