/**
 * What Ctrl-C does to a `send`, as a pure state machine: the first asks to stop what is known
 * (the run once it has started, or the message while it waits in the queue), a second quits at
 * once. The daemon's events (run.completed, message.dequeued) then end the command.
 */
export interface StopState {
  interrupts: number;
  /** A cancel or withdrawal is on its way (or done): never send two. */
  sent: boolean;
  /** The daemon refused to withdraw the message (its run had started): cancel that run instead. */
  withdrawRefused: boolean;
}

/** What the follower knows of the message: its id, its run, whether it waits in the queue. */
export interface StopTarget {
  runId: string | null;
  messageId: string | null;
  queued: boolean;
}

export type StopAction = { kind: 'none' } | { kind: 'cancel' } | { kind: 'withdraw'; messageId: string };

export const initialStop: StopState = { interrupts: 0, sent: false, withdrawRefused: false };

/** A Ctrl-C: the second one quits without waiting. */
export function interrupted(s: StopState): { state: StopState; quit: boolean } {
  const state = { ...s, interrupts: s.interrupts + 1 };
  return { state, quit: state.interrupts >= 2 };
}

/** Whether the Ctrl-C notice should say "withdrawing" (the message has not started) or "cancelling". */
export function withdrawing(t: StopTarget): boolean {
  return t.queued && !t.runId;
}

/** What to send now, given what is known; call again whenever the follower learns more. */
export function stopAction(s: StopState, t: StopTarget): { state: StopState; action: StopAction } {
  if (s.interrupts === 0 || s.sent) return { state: s, action: { kind: 'none' } };
  if (t.runId) return { state: { ...s, sent: true }, action: { kind: 'cancel' } };
  if (t.queued && t.messageId && !s.withdrawRefused)
    return { state: { ...s, sent: true }, action: { kind: 'withdraw', messageId: t.messageId } };
  return { state: s, action: { kind: 'none' } };
}

/** The withdrawal came too late (409): the run started, so cancel it now or when run.started arrives. */
export function withdrawRefused(s: StopState): StopState {
  return { ...s, withdrawRefused: true, sent: false };
}
