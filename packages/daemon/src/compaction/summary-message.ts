/**
 * The user message that stands for the compacted part of a session: a one-line preamble, the
 * summary, and the earlier user messages kept verbatim (users complain most about lost
 * instructions). Built from the log, so every request after a compaction starts with the same
 * bytes.
 */
export function summaryMessage(summary: string, keptUserMessages: string[]): string {
  const parts = [
    'An earlier part of this session was compacted to save context. The summary below replaces it; continue the work from it.',
    '<conversation_summary>',
    summary.trim(),
    '</conversation_summary>',
  ];
  if (keptUserMessages.length > 0) {
    parts.push('The user\'s earlier messages, verbatim (oldest first):', '<user_messages>');
    for (const m of keptUserMessages) parts.push('<message>', m, '</message>');
    parts.push('</user_messages>');
  }
  return parts.join('\n');
}
