import { parseKnownEvent, type EventDataOf, type EventDraft, type ForkRequest } from '@hermes/protocol';
import type { Session } from './session.js';

export interface ForkPlan {
  created: EventDataOf<'session.created'>;
  /** The parent's events after its `session.created`, up to the cut, then what closes the copy. */
  copies: EventDraft[];
  text?: string;
}

/**
 * What a fork of an idle session holds: the parent's events before the user message
 * `atMessageId` (all of them without it). Copies, not references: the fork's log stands alone.
 * A message still queued at the cut is withdrawn in the fork (it ran only in the parent).
 */
export async function planFork(parent: Session, req: ForkRequest): Promise<{ ok: true; value: ForkPlan } | { ok: false; message: string }> {
  const t = parent.transcript;
  let cut = parent.lastSeq;
  let text: string | undefined;
  if (req.atMessageId !== undefined) {
    const user = t.items.find((i) => i.kind === 'user' && i.messageId === req.atMessageId);
    if (!user || user.kind !== 'user') return { ok: false, message: `no visible user message ${req.atMessageId} in session ${parent.id}` };
    cut = user.seq - 1;
    text = user.text;
  }
  const events: unknown[] = [];
  // The replay hands out SSE frames (the log's own JSON on `data:` lines): what is pending in memory included.
  const dataOf = (frame: string) =>
    frame
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
  await parent.replay(
    0,
    (f) => (f.seq <= cut && events.push(JSON.parse(dataOf(f.frame))), true),
    async () => {},
  );
  const copies: EventDraft[] = [];
  let origin: EventDataOf<'session.created'> = { title: t.title, model: t.model, workspace: t.workspace };
  const queued = new Set<string>();
  for (const e of events) {
    const known = parseKnownEvent(e);
    // Unknown types (from a newer daemon) cannot be typed as drafts; the fold skips them anyway.
    if (!known) continue;
    if (known.type === 'session.created') {
      origin = known.data;
      continue;
    }
    if (known.type === 'message.queued') queued.add(known.data.messageId);
    if (known.type === 'message.user' || known.type === 'message.dequeued') queued.delete(known.data.messageId);
    copies.push({ type: known.type, data: known.data, ...(known.runId ? { runId: known.runId } : {}) } as EventDraft);
  }
  for (const messageId of queued) copies.push({ type: 'message.dequeued', data: { messageId, by: 'fork' } });
  copies.push({ type: 'session.updated', data: { title: req.title ?? `${t.title} (fork)` } });
  return {
    ok: true,
    value: {
      created: { title: origin.title, model: origin.model, workspace: origin.workspace, forkedFrom: { sessionId: parent.id, seq: cut } },
      copies,
      ...(text !== undefined ? { text } : {}),
    },
  };
}
