import { useCallback, useRef } from 'react';
import type { Draft } from '../keys/editor.js';
import type { SessionStore } from '../store/session-store.js';

/** How long a second Esc counts as the same gesture. */
export const ESC_AGAIN_MS = 2000;

/**
 * Esc and the daemon's queue: Esc cancels the run; when messages wait behind it, a second Esc
 * (or Esc on an empty prompt with nothing running) withdraws them. ↑ on an empty prompt takes
 * the last one back to edit.
 */
export function useQueueActions(o: {
  store: SessionStore;
  running: boolean;
  draftRef: { readonly current: Draft };
  setDraft: (update: (d: Draft) => Draft) => void;
  flash: (text: string | null, ms?: number) => void;
  print: (level: 'info', text: string) => void;
  fail: (err: unknown) => void;
}) {
  const { store, running, draftRef, setDraft, flash, print, fail } = o;
  const escArmed = useRef<number | null>(null);
  const cancelRun = useCallback(() => {
    store.cancel().then(
      (ok) => ok || flash('nothing to cancel'),
      (err: unknown) => fail(err),
    );
  }, [store, flash, fail]);

  /** Withdraws every queued message (a second Esc); one that already started is cancelled. */
  const clearQueue = useCallback(async () => {
    const queued = store.getSnapshot().transcript.queued;
    let cleared = 0;
    let started = false;
    for (const q of queued) {
      if (await store.withdraw(q.messageId)) cleared++;
      else started = true;
    }
    if (started) await store.cancel();
    flash(null);
    print('info', `cleared ${cleared} queued message${cleared === 1 ? '' : 's'}${started ? ' (one had started: cancelled)' : ''}`);
  }, [store, flash, print]);

  const onEscape = useCallback(() => {
    const queued = store.getSnapshot().transcript.queued.length;
    const armed = escArmed.current !== null && Date.now() - escArmed.current <= ESC_AGAIN_MS;
    escArmed.current = null;
    if (armed || (!running && queued > 0 && draftRef.current.text === '')) return void clearQueue().catch(fail);
    if (running) cancelRun();
    if (queued > 0) {
      escArmed.current = Date.now();
      flash(`${queued} queued message${queued === 1 ? '' : 's'} will run next · Esc again clears the queue`, ESC_AGAIN_MS);
    }
  }, [store, running, draftRef, clearQueue, fail, cancelRun, flash]);

  /** ↑ on an empty prompt while messages wait: the last one comes back into the draft (as in Claude Code). */
  const editLastQueued = useCallback(() => {
    const last = store.getSnapshot().transcript.queued.at(-1);
    if (!last) return;
    store.withdraw(last.messageId).then(
      (ok) => {
        if (!ok) return flash('that message has already started');
        // Whatever was typed meanwhile stays after it.
        setDraft((d) =>
          d.text === '' ? { text: last.text, cursor: last.text.length } : { text: `${last.text}\n${d.text}`, cursor: last.text.length },
        );
      },
      (err: unknown) => fail(err),
    );
  }, [store, flash, fail, setDraft]);

  /** Any other key ends the two-Esc gesture. */
  const disarm = useCallback(() => {
    escArmed.current = null;
  }, []);
  return { cancelRun, onEscape, editLastQueued, disarm };
}
