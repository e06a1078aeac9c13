import type { HermesEvent } from './events.js';
import type { SessionStatus } from './common.js';
import type { Transcript } from './transcript.js';
import type { Handlers } from './reducer/items.js';
import { conversationHandlers } from './reducer/conversation.js';
import { toolsHandlers } from './reducer/tools.js';
import { compactionHandlers } from './reducer/compaction.js';
import { rewindHandlers } from './reducer/rewind.js';

/** The transcript of a session nobody has written to yet. */
export function emptyTranscript(sessionId: string): Transcript {
  return {
    sessionId,
    title: '',
    model: null,
    workspace: '',
    createdAt: '',
    updatedAt: '',
    lastSeq: 0,
    items: [],
    queued: [],
    activeRunId: null,
    pendingApprovals: [],
    pendingClarifications: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    status: 'idle',
    messageCount: 0,
  };
}

function statusOf(t: Pick<Transcript, 'activeRunId' | 'pendingApprovals' | 'pendingClarifications'>): SessionStatus {
  if (t.pendingApprovals.length > 0) return 'awaiting_approval';
  if ((t.pendingClarifications?.length ?? 0) > 0) return 'awaiting_input';
  return t.activeRunId ? 'running' : 'idle';
}

/** Every event type has its handler, one file per family of events (the type checks that none is missing). */
const HANDLERS: Handlers<HermesEvent['type']> = {
  ...conversationHandlers,
  ...toolsHandlers,
  ...compactionHandlers,
  ...rewindHandlers,
};

/**
 * The one reducer: folds an event into a transcript. Pure, and idempotent per `seq`: an event
 * at or below `lastSeq` changes nothing, so replays and duplicate deliveries are harmless.
 */
export function reduce(t: Transcript, event: HermesEvent): Transcript {
  if (event.seq <= t.lastSeq) return t;
  const base = { ...t, lastSeq: event.seq, updatedAt: event.ts };
  // The handler is the one for `event.type`; TypeScript cannot correlate the two through the index.
  const handler = HANDLERS[event.type] as (t: Transcript, e: HermesEvent) => Transcript;
  const next = handler(base, event);
  const status = statusOf(next);
  return status === next.status ? next : { ...next, status };
}

/** Folds many events; the same as calling `reduce` for each. */
export function fold(t: Transcript, events: Iterable<HermesEvent>): Transcript {
  let acc = t;
  for (const e of events) acc = reduce(acc, e);
  return acc;
}
