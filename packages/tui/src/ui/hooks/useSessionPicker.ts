import type { SessionSummary } from '@hermes/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Key } from '../keys/parse.js';
import { pickerKey } from '../keys/picker.js';
import { emptyPicker, PICKER_PAGE, pickerReduce, wantsMore, type PickerAction, type PickerState } from '../views/session-picker-state.js';
import type { SessionStore } from '../store/session-store.js';

/** Typing waits this long before the list is asked for again. */
const FILTER_DEBOUNCE_MS = 120;

/**
 * The /sessions picker: opens on the 50 most recent, asks the daemon for the next page as the
 * selection nears the end, and filters (title and first message, on the daemon) as you type.
 * Navigation keys are `keys/picker.ts`'s; `onKey` returns the chosen session on Enter, 'close' on Esc / Ctrl-C.
 */
export function useSessionPicker(store: SessionStore, fail: (err: unknown) => void) {
  const [picker, setPicker] = useState<PickerState | null>(null);
  const ref = useRef<PickerState | null>(null);
  const timer = useRef<NodeJS.Timeout | null>(null);
  const dispatch = useCallback((a: PickerAction) => {
    if (!ref.current) return;
    ref.current = pickerReduce(ref.current, a);
    setPicker(ref.current);
  }, []);

  const fetchPage = useCallback(
    (append: boolean) => {
      const s = ref.current;
      if (!s) return;
      const generation = s.generation;
      dispatch({ type: 'loading', generation });
      store.client
        .listSessions({
          limit: PICKER_PAGE,
          ...(s.filter ? { q: s.filter } : {}),
          ...(append && s.nextCursor ? { before: s.nextCursor } : {}),
        })
        .then((page) => dispatch({ type: 'page', generation, page, append }), fail);
    },
    [store, dispatch, fail],
  );

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const open = useCallback(async () => {
    ref.current = emptyPicker();
    setPicker(ref.current);
    fetchPage(false);
  }, [fetchPage]);

  const close = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    ref.current = null;
    setPicker(null);
  }, []);

  const refilter = useCallback(
    (text: string) => {
      dispatch({ type: 'filter', text });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => fetchPage(false), FILTER_DEBOUNCE_MS);
    },
    [dispatch, fetchPage],
  );

  const onKey = useCallback(
    (key: Key): SessionSummary | 'close' | null => {
      const s = ref.current;
      if (!s) return null;
      const r = pickerKey({ index: s.index, count: s.sessions.length }, key);
      if (r.kind === 'close') {
        close();
        return 'close';
      }
      if (r.kind === 'open') {
        const chosen = s.sessions[r.index];
        close();
        return chosen ?? 'close';
      }
      if (r.kind === 'move') {
        dispatch({ type: 'move', by: r.index - s.index });
        if (ref.current && wantsMore(ref.current)) fetchPage(true);
      } else if (key.name === 'backspace') {
        if (s.filter) refilter(s.filter.slice(0, -1));
      } else if (key.name === 'char' && !key.ctrl && !key.meta && key.text) {
        refilter(s.filter + key.text);
      }
      return null;
    },
    [close, dispatch, fetchPage, refilter],
  );

  /** Read from the ref: true at once after `open`, before React re-renders. */
  const isOpen = useCallback(() => ref.current !== null, []);

  return { picker, isOpen, open, onKey };
}
