/** What Enter on a draft means: a slash command, or a message (`//x` sends `/x`). */
export type Submission = { kind: 'none' } | { kind: 'command'; text: string } | { kind: 'message'; text: string };

export function classifySubmit(raw: string): Submission {
  const text = raw.trim();
  if (!text) return { kind: 'none' };
  // `/etc/hosts is wrong` is a message about a path, not a command.
  const isPath = /^\/[^\s/]+\//.test(text);
  if (text.startsWith('/') && !text.startsWith('//') && !isPath) return { kind: 'command', text };
  return { kind: 'message', text: text.startsWith('//') ? text.slice(1) : text };
}
