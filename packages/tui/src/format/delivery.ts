import type { Delivery, PostMessageResponse, QueuedMessage } from '@hermes/protocol';

/**
 * The words for how a message reached a busy session (queued, steering, interrupting), the
 * same in the chat, `attach`, `send` and `sessions show`.
 */

/** The prompt marker of a user message that steered a running run, in the scrollback. */
export const STEER_MARKER = '↪ steer: ';

/** The label of a message waiting in the session's queue (the live region and `sessions show`). */
export function queuedLabel(q: Pick<QueuedMessage, 'delivery'>): string {
  if (q.delivery === 'steer') return 'steering';
  if (q.delivery === 'interrupt') return 'interrupting';
  return 'queued';
}

/** Under the waiting messages when a steer is among them: when it lands. */
export const STEER_WAIT_HINT = 'a steering message joins the run after its current tool calls (or runs next)';

/** The heading of a user message in a text transcript. */
export function userHeading(delivery: Delivery | undefined): string {
  return delivery === 'steer' ? 'you (steered the run)' : 'you';
}

/** `send`: the message waits behind a run; what happens next and what Ctrl-C does. */
export function sendWaitingNote(delivery: Delivery | undefined): string {
  if (delivery === 'steer')
    return 'hermes: a run is in progress in this session; your message steers it at its next step (Ctrl-C withdraws it until then)…';
  if (delivery === 'interrupt') return 'hermes: interrupting the run in progress in this session; your message runs next…';
  return 'hermes: another run is in progress in this session; your message is queued and will run next (Ctrl-C withdraws it)…';
}

/** `send`: the running run took the steer; its output from here on is the answer. */
export const SEND_STEER_TAKEN = 'hermes: the run took your message; following it to its end';

/** `send --detach`: where the message went, when it did not simply start (null then). */
export function detachNote(res: Pick<PostMessageResponse, 'queued' | 'disposition'>): string | null {
  if (res.disposition === 'steering') return 'hermes: steering the run in progress';
  return res.queued ? 'hermes: queued behind the run in progress' : null;
}

/** The chat: a steer that could not go into the run says why (null when it went as asked). */
export function steerRefusedNote(asked: Delivery | undefined, res: Pick<PostMessageResponse, 'disposition'>): string | null {
  if (asked !== 'steer' || res.disposition !== 'queued') return null;
  return 'queued instead of steering: a message queued earlier goes first (a steer never overtakes it), or the run in progress takes none';
}

/** The status line's count of waiting messages: `2 queued`, `1 steering · 1 queued`; null when none. */
export function queueCountText(queued: readonly Pick<QueuedMessage, 'delivery'>[]): string | null {
  if (queued.length === 0) return null;
  const steering = queued.filter((q) => q.delivery === 'steer').length;
  const rest = queued.length - steering;
  return [steering ? `${steering} steering` : '', rest ? `${rest} queued` : ''].filter(Boolean).join(' · ');
}
