import type { PendingClarification } from '@hermes/protocol';
import { useCallback, useRef } from 'react';
import { CLARIFY_TEXT } from '../../format/clarify.js';
import { clarifyKey, clarifyPaste, initialPick, type ClarifyPick } from '../keys/clarify.js';
import type { Key } from '../keys/parse.js';
import type { SessionStore } from '../store/session-store.js';
import { useRefState } from './useRefState.js';

/**
 * The picker for the first pending `clarify` question set: its state (fresh for each new set, so
 * one answered elsewhere simply disappears with its event), its keys, and the answer it sends.
 */
export function useClarifyPicker(
  store: SessionStore,
  pending: PendingClarification | undefined,
  notes: { flash: (text: string) => void; print: (level: 'info', text: string) => void; fail: (err: unknown) => void },
) {
  const [pick, pickRef, setPick] = useRefState<ClarifyPick | null>(null);
  /** The set whose answer is on its way: further keys wait for the daemon's word. */
  const sending = useRef<string | null>(null);
  const { flash, print, fail } = notes;

  const current = useCallback((): { q: PendingClarification; s: ClarifyPick } | null => {
    const q = store.getSnapshot().transcript.pendingClarifications?.[0];
    if (!q) return null;
    const s = pickRef.current?.clarifyId === q.clarifyId ? pickRef.current : initialPick(q.clarifyId, q.questions);
    return { q, s };
  }, [store, pickRef]);

  const onKey = useCallback(
    (key: Key) => {
      const c = current();
      if (!c || sending.current === c.q.clarifyId) return;
      const res = clarifyKey(c.q.questions, c.s, key);
      setPick(res.state);
      if (res.hint) flash(res.hint);
      if (res.submit === undefined) return;
      const id = c.q.clarifyId;
      sending.current = id;
      store.answerClarification(id, res.submit).then(
        (ok) => ok || print('info', CLARIFY_TEXT.alreadyAnswered),
        (err: unknown) => {
          // Not taken (a connection error, a 400): the picker is usable again.
          sending.current = null;
          fail(err);
        },
      );
    },
    [current, setPick, flash, store, print, fail],
  );

  const onPaste = useCallback(
    (text: string) => {
      const c = current();
      if (c && sending.current !== c.q.clarifyId) setPick(clarifyPaste(c.q.questions, c.s, text));
    },
    [current, setPick],
  );

  const shown = pending ? (pick?.clarifyId === pending.clarifyId ? pick : initialPick(pending.clarifyId, pending.questions)) : null;
  return { pick: shown, onKey, onPaste };
}
