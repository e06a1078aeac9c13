import type { Todo } from '@hermes/protocol';

/**
 * The user message that stands for the compacted part of a session: a one-line preamble, the
 * summary, the earlier user messages kept verbatim (users complain most about lost
 * instructions), and the todo plan as it stood then. Built from the log, so every request
 * after a compaction starts with the same bytes.
 */
export function summaryMessage(summary: string, keptUserMessages: string[], plan?: readonly Todo[]): string {
  const parts = [
    'An earlier part of this session was compacted to save context. The summary below replaces it; continue the work from it.',
    '<conversation_summary>',
    summary.trim(),
    '</conversation_summary>',
  ];
  if (keptUserMessages.length > 0) {
    parts.push("The user's earlier messages, verbatim (oldest first):", '<user_messages>');
    for (const m of keptUserMessages) parts.push('<message>', m, '</message>');
    parts.push('</user_messages>');
  }
  if (plan && plan.length > 0) {
    // The todo list as the last todo_write left it, exact: the model keeps working from it.
    parts.push('The current todo list (as last written with todo_write; update it with todo_write as you go):', '<todos>');
    for (const t of plan) parts.push(JSON.stringify({ content: t.content, status: t.status }));
    parts.push('</todos>');
  }
  return parts.join('\n');
}
