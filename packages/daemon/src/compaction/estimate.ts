import type { ChatMessage, ToolSpec } from '../provider/index.js';

/** A rough tokens-per-character rate: only used between two provider-reported counts. */
const CHARS_PER_TOKEN = 4;
/** Role markers and framing a provider adds around each message. */
const PER_MESSAGE = 4;

export function estimateText(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateMessage(m: ChatMessage): number {
  switch (m.role) {
    case 'system':
    case 'user':
      return PER_MESSAGE + estimateText(m.text);
    case 'tool':
      return PER_MESSAGE + estimateText(m.content);
    case 'assistant':
      return (
        PER_MESSAGE +
        estimateText(m.text) +
        estimateText(m.reasoning ?? '') +
        (m.toolCalls ? estimateText(JSON.stringify(m.toolCalls)) : 0) +
        (m.providerBlocks ? estimateText(JSON.stringify(m.providerBlocks)) : 0)
      );
  }
}

export function estimateMessages(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) n += estimateMessage(m);
  return n;
}

export function estimateTools(tools: readonly ToolSpec[]): number {
  return tools.length === 0 ? 0 : estimateText(JSON.stringify(tools));
}
