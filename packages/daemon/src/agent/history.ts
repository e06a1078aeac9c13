import type { Transcript, TranscriptItem } from '@hermes/protocol';
import type { ChatMessage } from '../provider/index.js';

/**
 * The conversation a provider sees, from the session's transcript. Display-only items
 * (notices, approvals, run ends) are left out. Every tool call gets a result right after its
 * assistant message, as providers require: calls a cancel or crash left without one get a
 * short note instead.
 */
export function historyFromTranscript(t: Pick<Transcript, 'items'>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const toolResults = new Map<string, Extract<TranscriptItem, { kind: 'tool' }>>();
  for (const item of t.items) if (item.kind === 'tool') toolResults.set(item.toolCallId, item);
  for (const item of t.items) {
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
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          content: done ? tool.result! : 'No result: the run was stopped before this tool finished.',
          ...(done && tool.status === 'ok' ? {} : { isError: true }),
        });
      }
    }
  }
  return messages;
}
