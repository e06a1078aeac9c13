import type { Delivery, EventDraft, PostMessageResponse, QueuedMessage, Transcript } from '@hermes/protocol';

/**
 * The steer messages a running run takes at its next safe boundary: those at the head of the
 * queue, oldest first (withdrawn ones skipped). A plain queued message ends the list, so a
 * steer never overtakes a message queued before it.
 */
export function waitingSteers(queued: readonly QueuedMessage[], withdrawn: ReadonlySet<string>): QueuedMessage[] {
  const out: QueuedMessage[] = [];
  for (const q of queued) {
    if (withdrawn.has(q.messageId)) continue;
    if (q.delivery !== 'steer') break;
    out.push(q);
  }
  return out;
}

/** A new steer may go into the running run only when nothing but steers waits before it. */
export function canSteer(queued: readonly QueuedMessage[], withdrawn: ReadonlySet<string>): boolean {
  return queued.every((q) => withdrawn.has(q.messageId) || q.delivery === 'steer');
}

/**
 * How a message posted while the session is busy is delivered: a steer goes into the running
 * run only when that run takes steers and nothing but steers waits before it; otherwise it is
 * queued (the answer's disposition says so). Without a run to act on, everything queues.
 */
export function deliveryFor(
  asked: Delivery | undefined,
  active: { steerable: boolean } | undefined,
  session: { transcript: { queued: readonly QueuedMessage[] }; withdrawn: ReadonlySet<string> },
): Delivery {
  if (!active || asked === undefined || asked === 'queue') return 'queue';
  if (asked === 'interrupt') return 'interrupt';
  return active.steerable && canSteer(session.transcript.queued, session.withdrawn) ? 'steer' : 'queue';
}

/**
 * Where a posted message stands: in a run it started, in a run it steers, or waiting (a steer
 * waits for the running run's next boundary). A waiting message names no run: a steer may
 * still end up starting the next one.
 */
export function dispositionOf(
  session: { transcript: Transcript; runOfMessage: ReadonlyMap<string, string> },
  messageId: string,
  active: { runId: string; messageId: string | undefined } | undefined,
): Omit<PostMessageResponse, 'messageId'> {
  const t = session.transcript;
  const runId = session.runOfMessage.get(messageId);
  if (runId) {
    const steered =
      active?.runId === runId
        ? active.messageId !== messageId
        : t.items.some((i) => i.kind === 'user' && i.messageId === messageId && i.delivery === 'steer');
    return { runId, queued: false, disposition: steered ? 'steering' : 'started' };
  }
  const waiting = t.queued.find((q) => q.messageId === messageId);
  return { queued: true, disposition: waiting?.delivery === 'steer' ? 'steering' : 'queued' };
}

/**
 * The steers at the head of the queue join the running run `runId`, in order: claimed at once
 * (a withdrawal racing this gets 409), then written durably as `message.user` in the run.
 * Returns the texts taken; those whose event was not written (the run ended meanwhile, or the
 * disk refused) stay queued for the next run.
 */
export async function takeSteers(
  session: { transcript: Transcript; withdrawn: ReadonlySet<string>; runOfMessage: Map<string, string> },
  runId: string,
  emitDurably: (draft: EventDraft) => Promise<void>,
): Promise<string[]> {
  const taken = waitingSteers(session.transcript.queued, session.withdrawn);
  if (taken.length === 0) return [];
  for (const q of taken) session.runOfMessage.set(q.messageId, runId);
  for (const q of taken) {
    const data = {
      messageId: q.messageId,
      text: q.text,
      delivery: 'steer' as const,
      ...(q.instructions !== undefined ? { instructions: q.instructions } : {}),
    };
    await emitDurably({ type: 'message.user', data });
  }
  const queued = new Set(session.transcript.queued.map((q) => q.messageId));
  for (const q of taken) if (queued.has(q.messageId)) session.runOfMessage.delete(q.messageId);
  return taken.filter((q) => !queued.has(q.messageId)).map((q) => q.text);
}
