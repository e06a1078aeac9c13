import type { HermesEvent, NoticeLevel, Transcript } from '@hermes/protocol';
import { REDO_HINT, rewoundLine, unrewoundLine } from '../../format/checkpoint.js';
import type { CommitState } from './scrollback.js';

export type RewindEvent = Extract<HermesEvent, { type: 'session.rewound' | 'session.unrewound' }>;

export const isRewindEvent = (e: HermesEvent): e is RewindEvent => e.type === 'session.rewound' || e.type === 'session.unrewound';

/**
 * The commit point after a rewind hid items or an unrewind put them back. The commit is an
 * index into the items, so it must follow them: after a rewind the same items stay committed
 * (fewer of them are left); after an unrewind the items that come back are printed again, below,
 * since what the scrollback showed of them may be far up or, for a session opened after the
 * rewind, not there at all.
 */
export function commitAcrossRewind(before: Transcript, after: Transcript, e: RewindEvent, s: CommitState): CommitState {
  const boundary = before.items[s.itemIndex]?.seq ?? before.lastSeq + 1;
  let index = after.items.filter((i) => i.seq < boundary).length;
  if (e.type === 'session.unrewound') {
    const back = after.rewinds?.find((r) => r.rewindId === e.data.rewindId)?.hidden ?? [];
    const first = Math.min(...back.map((i) => i.seq));
    const at = after.items.findIndex((i) => i.seq >= first);
    if (at >= 0) index = Math.min(index, at);
  }
  const same = after.items[index] !== undefined && after.items[index]?.seq === before.items[s.itemIndex]?.seq;
  return same ? { ...s, itemIndex: index } : { itemIndex: index, offset: 0, join: false };
}

/** The line a rewind or unrewind prints (on every client that sees it). */
export function rewindNotice(
  before: Transcript,
  after: Transcript,
  e: RewindEvent,
  next: readonly HermesEvent[],
): [NoticeLevel | 'plain', string] {
  const level = e.data.skipped.length ? 'warn' : 'plain';
  if (e.type === 'session.rewound') {
    const to = before.items.find((i) => i.kind === 'user' && i.messageId === e.data.toMessageId);
    // A retry's rewind is followed by the message again: that one cannot be taken back.
    const retry = next.some((n) => n.type === 'message.user' && n.data.retryOf === e.data.toMessageId);
    return [level, rewoundLine(e.data, e.data.text ?? (to?.kind === 'user' ? to.text : undefined), retry ? undefined : REDO_HINT)];
  }
  const back = after.rewinds?.find((r) => r.rewindId === e.data.rewindId)?.hidden ?? [];
  return [level, unrewoundLine(e.data, back.filter((i) => i.kind === 'user').length)];
}
