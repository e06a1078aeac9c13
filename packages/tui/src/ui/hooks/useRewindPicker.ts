import { useCallback, useRef, useState } from 'react';
import type { Key } from '../keys/parse.js';
import { forkAt, rewindTo } from '../slash/rewind-actions.js';
import type { CommandContext } from '../slash/types.js';
import { openRewindPicker, rewindPickerKey, type RewindPickerState } from '../views/rewind-picker-state.js';

/** The /rewind picker: opens on the transcript's user messages; the last Enter rewinds or forks. */
export function useRewindPicker(ctx: Pick<CommandContext, 'store' | 'print' | 'setDraft'>) {
  const [picker, setPicker] = useState<RewindPickerState | null>(null);
  const ref = useRef<RewindPickerState | null>(null);
  const set = useCallback((s: RewindPickerState | null) => {
    ref.current = s;
    setPicker(s);
  }, []);

  const open = useCallback(() => set(openRewindPicker(ctx.store.getSnapshot().transcript)), [ctx.store, set]);

  const onKey = useCallback(
    (key: Key) => {
      if (!ref.current) return;
      const { state, action } = rewindPickerKey(ref.current, key);
      set(state);
      if (!action) return;
      if (action.option === 'fork') void forkAt(ctx, action.choice.messageId);
      else void rewindTo(ctx, action.choice.messageId, action.option);
    },
    [ctx, set],
  );

  /** Read from the ref: true at once after `open`, before React re-renders. */
  const isOpen = useCallback(() => ref.current !== null, []);
  return { rewindPicker: picker, isRewindOpen: isOpen, openRewind: open, onRewindKey: onKey };
}
