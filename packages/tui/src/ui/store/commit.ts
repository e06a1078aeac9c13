import type { NoticeLevel, Transcript, TranscriptItem } from '@hermes/protocol';
import { findSafeSplit } from '../markdown/split.js';

/**
 * What has gone into `<Static>` (the terminal's scrollback). Static is append-only, so the
 * transcript is committed as a prefix: every item before `itemIndex` is printed, plus the first
 * `offset` characters of the streaming reply at `itemIndex`, cut at paragraph boundaries.
 */
export interface CommitState {
  itemIndex: number;
  offset: number;
}

export type StaticEntry =
  | { key: string; kind: 'item'; item: TranscriptItem; from: number }
  | { key: string; kind: 'chunk'; messageId: string; text: string; reasoning: string; first: boolean }
  | { key: string; kind: 'local'; level: NoticeLevel | 'plain'; text: string };

export const initialCommit: CommitState = { itemIndex: 0, offset: 0 };

export function isFinished(item: TranscriptItem): boolean {
  if (item.kind === 'assistant') return item.status !== 'streaming';
  if (item.kind === 'tool') return item.status !== 'running';
  return true;
}

/** Moves the commit point as far as the transcript allows; returns the new entries to print. */
export function advanceCommit(
  t: Transcript,
  state: CommitState,
  keyPrefix: string,
): { state: CommitState; entries: StaticEntry[] } {
  const entries: StaticEntry[] = [];
  let { itemIndex, offset } = state;
  while (itemIndex < t.items.length) {
    const item = t.items[itemIndex]!;
    if (isFinished(item)) {
      entries.push({ key: `${keyPrefix}:${item.seq}:${offset}`, kind: 'item', item, from: offset });
      itemIndex++;
      offset = 0;
      continue;
    }
    if (item.kind === 'assistant') {
      const split = findSafeSplit(item.text.slice(offset));
      if (split > 0) {
        entries.push({
          key: `${keyPrefix}:${item.seq}:${offset}`,
          kind: 'chunk',
          messageId: item.messageId,
          text: item.text.slice(offset, offset + split),
          reasoning: offset === 0 ? item.reasoning : '',
          first: offset === 0,
        });
        offset += split;
      }
    }
    break;
  }
  return { state: { itemIndex, offset }, entries };
}
