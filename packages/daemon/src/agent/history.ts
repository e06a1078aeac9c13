import type { CompactionItem, Transcript, TranscriptItem } from '@hermes/protocol';
import { summaryMessage } from '../compaction/summary-message.js';
import type { ChatMessage } from '../provider/index.js';

type Items = Pick<Transcript, 'items'>;

/** The compaction the model's history starts from: the latest one that was applied. */
export function lastCompaction(t: Items): CompactionItem | undefined {
  for (let i = t.items.length - 1; i >= 0; i--) {
    const item = t.items[i]!;
    if (item.kind === 'compaction' && item.status === 'completed') return item;
  }
  return undefined;
}

/** A pruned tool output's stand-in: the call stays, its bulk goes. */
export function prunedStub(name: string, chars: number): string {
  return `[output of ${name} (${chars} chars) cleared to save context; run it again if needed]`;
}

/**
 * The conversation a provider sees, from the session's transcript. The log is never
 * rewritten: after a compaction the history is its summary (with the earlier user messages it
 * kept), then the items from its `keptFromSeq` on. Display-only items (notices, approvals, run
 * ends, dividers) are left out. Every tool call gets a result right after its assistant
 * message, as providers require: calls a cancel or crash left without one get a short note.
 */
export function historyFromTranscript(t: Items): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const boundary = lastCompaction(t);
  const toolResults = new Map<string, Extract<TranscriptItem, { kind: 'tool' }>>();
  for (const item of t.items) if (item.kind === 'tool') toolResults.set(item.toolCallId, item);
  const pruned = new Set(boundary?.prunedToolCallIds ?? []);
  let items = t.items;
  if (boundary) {
    const from = boundary.keptFromSeq ?? 0;
    const keptIds = new Set(boundary.keptUserMessageIds ?? []);
    const keptUsers = t.items.flatMap((i) => (i.kind === 'user' && keptIds.has(i.messageId) && i.seq < from ? [i.text] : []));
    // A compaction that only pruned old outputs has no summary of its own.
    if (boundary.summary) messages.push({ role: 'user', text: summaryMessage(boundary.summary, keptUsers, boundary.plan) });
    items = t.items.filter((i) => i.seq >= from);
  }
  for (const item of items) {
    if (item.kind === 'user') {
      messages.push({ role: 'user', text: item.text });
    } else if (item.kind === 'assistant') {
      const calls = item.toolCalls;
      if (!item.text && calls.length === 0 && !item.providerBlocks) continue;
      messages.push({
        role: 'assistant',
        text: item.text,
        ...(item.reasoning ? { reasoning: item.reasoning } : {}),
        ...(calls.length ? { toolCalls: calls } : {}),
        ...(item.providerBlocks ? { providerBlocks: item.providerBlocks } : {}),
      });
      for (const call of calls) {
        const tool = toolResults.get(call.id);
        const done = tool && tool.status !== 'running' && tool.result !== undefined;
        const content = !done
          ? 'No result: the run was stopped before this tool finished.'
          : pruned.has(call.id)
            ? prunedStub(call.name, tool.result!.length)
            : tool.result!;
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          content,
          ...(done && tool.status === 'ok' ? {} : { isError: true }),
        });
      }
    }
  }
  return messages;
}
