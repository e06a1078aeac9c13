import type { Transcript } from '@hermes/protocol';
import { filesAfter, rewindChoiceDetail } from '../../format/checkpoint.js';
import type { RewindOption } from '../../format/rewind.js';
import type { Key } from '../keys/parse.js';
import { pickerKey } from '../keys/picker.js';

/** A user message the conversation can go back to before, with what doing so would undo. */
export interface RewindChoice {
  messageId: string;
  text: string;
  detail: string;
  /** How many files rewinding here would restore. */
  files: number;
}

/**
 * The /rewind picker. First a message: the list ends with "(now)", highlighted at first, which
 * does nothing (a stray Enter is harmless). Then what to restore for that message.
 */
export type RewindPickerState =
  | { step: 'message'; choices: RewindChoice[]; index: number }
  | { step: 'mode'; choices: RewindChoice[]; chosen: number; options: RewindOption[]; index: number };

export type RewindAction = { option: Exclude<RewindOption, 'cancel'>; choice: RewindChoice };

/** The picker on a transcript's visible user messages, oldest first, "(now)" selected. */
export function openRewindPicker(t: Pick<Transcript, 'items' | 'checkpoints'>): RewindPickerState {
  const choices: RewindChoice[] = [];
  for (const i of t.items) {
    if (i.kind !== 'user') continue;
    choices.push({
      messageId: i.messageId,
      text: i.text,
      detail: rewindChoiceDetail(i, t),
      files: filesAfter(i, t.checkpoints ?? []).length,
    });
  }
  return { step: 'message', choices, index: choices.length };
}

/** What a message's second step offers: files options only when there are files to restore. */
export function optionsFor(c: RewindChoice): RewindOption[] {
  return c.files > 0 ? ['both', 'conversation', 'code', 'fork', 'cancel'] : ['conversation', 'fork', 'cancel'];
}

/** Pure: a key on the picker → the next state (null: closed) and, on the last Enter, what to do. */
export function rewindPickerKey(s: RewindPickerState, key: Key): { state: RewindPickerState | null; action?: RewindAction } {
  if (s.step === 'message') {
    const r = pickerKey({ index: s.index, count: s.choices.length + 1 }, key);
    if (r.kind === 'close') return { state: null };
    if (r.kind === 'move') return { state: { ...s, index: r.index } };
    if (r.kind === 'open') {
      const choice = s.choices[r.index];
      if (!choice) return { state: null };
      return { state: { step: 'mode', choices: s.choices, chosen: r.index, options: optionsFor(choice), index: 0 } };
    }
    return { state: s };
  }
  const r = pickerKey({ index: s.index, count: s.options.length }, key);
  if (r.kind === 'close') {
    // Esc goes back to the list; Ctrl-C closes.
    if (key.name === 'escape') return { state: { step: 'message', choices: s.choices, index: s.chosen } };
    return { state: null };
  }
  if (r.kind === 'move') return { state: { ...s, index: r.index } };
  if (r.kind === 'open') {
    const option = s.options[r.index];
    const choice = s.choices[s.chosen];
    if (!option || option === 'cancel' || !choice) return { state: null };
    return { state: null, action: { option, choice } };
  }
  return { state: s };
}
