import type { NoticeLevel, ToolItem, Transcript, TranscriptItem } from '@hermes/protocol';
import { paragraphSplit, stableSplit } from '../markdown/split.js';

/**
 * What has gone into `<Static>` (the terminal's scrollback). Static is append-only, so the
 * transcript is committed as a prefix: every item before `itemIndex` is printed, plus the first
 * `offset` characters of the streaming reply at `itemIndex`, cut where the head is final
 * (see stableSplit). `join`: the rest continues the block before the cut (a list) without the
 * blank row that separates blocks.
 */
export interface CommitState {
  itemIndex: number;
  offset: number;
  join: boolean;
}

/** How a part of a reply that does not start it follows what is printed before it. */
export type Continued = 'block' | 'join';

export function continuedAt(from: number, join: boolean): Continued | undefined {
  return from === 0 ? undefined : join ? 'join' : 'block';
}

export type StaticEntry =
  | { key: string; kind: 'item'; item: TranscriptItem; from: number; join: boolean }
  | { key: string; kind: 'chunk'; messageId: string; text: string; reasoning: string; from: number; join: boolean }
  | { key: string; kind: 'local'; level: NoticeLevel | 'plain'; text: string }
  /** Ctrl+O: a tool card again, with all its output. */
  | { key: string; kind: 'expanded'; item: ToolItem };

export const initialCommit: CommitState = { itemIndex: 0, offset: 0, join: false };

export function isFinished(item: TranscriptItem): boolean {
  if (item.kind === 'assistant') return item.status !== 'streaming';
  if (item.kind === 'tool') return item.status !== 'running';
  // A compaction in progress stays live, so its divider shows the result once it is in.
  if (item.kind === 'compaction') return item.status !== 'running';
  return true;
}

/**
 * Moves the commit point as far as the transcript allows; returns the new entries to print.
 * `rows` (the screen's rendering of a reply's text, as plain rows) lets the rows of a long
 * paragraph that is still streaming go to the scrollback once they cannot change.
 */
export function advanceCommit(
  t: Transcript,
  state: CommitState,
  keyPrefix: string,
  rows?: (text: string) => string[],
): { state: CommitState; entries: StaticEntry[] } {
  const entries: StaticEntry[] = [];
  let { itemIndex, offset, join } = state;
  while (itemIndex < t.items.length) {
    const item = t.items[itemIndex]!;
    if (isFinished(item)) {
      entries.push({ key: `${keyPrefix}:${item.seq}:${offset}`, kind: 'item', item, from: offset, join });
      itemIndex++;
      offset = 0;
      join = false;
      continue;
    }
    if (item.kind === 'assistant') {
      const rest = item.text.slice(offset);
      let split = stableSplit(rest);
      if (rows) {
        // The rows of the last paragraph that can no longer change; the rest starts at the next word.
        const head = split.offset;
        const cut = paragraphSplit(rest.slice(head), rows);
        if (cut > 0) split = { offset: head + cut, join: true };
      }
      if (split.offset > 0) {
        entries.push({
          key: `${keyPrefix}:${item.seq}:${offset}`,
          kind: 'chunk',
          messageId: item.messageId,
          text: item.text.slice(offset, offset + split.offset),
          reasoning: offset === 0 ? item.reasoning : '',
          from: offset,
          join,
        });
        offset += split.offset;
        join = split.join;
        // The space at a wrap point is not printed: the next part starts at its word.
        let next = offset;
        while (join && /\s/.test(item.text[next] ?? '')) next++;
        if (next < item.text.length) offset = next;
      }
    }
    break;
  }
  return { state: { itemIndex, offset, join }, entries };
}
