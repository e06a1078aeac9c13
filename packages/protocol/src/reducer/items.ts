import type { EventOf, EventType } from '../events.js';
import type { AssistantItem, CompactionItem, ToolItem, Transcript, TranscriptItem } from '../transcript.js';

/** How one event type is folded into a transcript (`reduce` has already checked its `seq`). */
export type Handlers<K extends EventType> = { [T in K]: (t: Transcript, e: EventOf<T>) => Transcript };

/** Replaces the last item matching `match` (searching from the end, where live items are). */
export function updateLast<T extends TranscriptItem>(
  items: TranscriptItem[],
  match: (item: TranscriptItem) => item is T,
  update: (item: T) => T,
): TranscriptItem[] {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (match(item)) {
      const next = items.slice();
      next[i] = update(item);
      return next;
    }
  }
  return items;
}

export const isAssistant =
  (id: string) =>
  (item: TranscriptItem): item is AssistantItem =>
    item.kind === 'assistant' && item.messageId === id;
export const isCompaction =
  (id: string) =>
  (item: TranscriptItem): item is CompactionItem =>
    item.kind === 'compaction' && item.compactionId === id;
export const isTool =
  (id: string) =>
  (item: TranscriptItem): item is ToolItem =>
    item.kind === 'tool' && item.toolCallId === id;

export function tail(text: string, max: number): string {
  return text.length > max ? text.slice(text.length - max) : text;
}
