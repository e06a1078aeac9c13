import type { TranscriptItem, UserItem } from '@hermes/protocol';
import { UsageError } from './common.js';

/**
 * What a user typed for one of a session's (visible) messages: its id, `N` (the Nth, as
 * `sessions show` numbers them, oldest first), `-N` (the Nth from the end), or `last`.
 */
export function pickUserMessage(items: readonly TranscriptItem[], spec: string): UserItem {
  const users = items.filter((i): i is UserItem => i.kind === 'user');
  if (users.length === 0) throw new UsageError('the session has no messages to go back to');
  const s = spec.trim();
  const byId = users.find((u) => u.messageId === s);
  if (byId) return byId;
  const n = /^-?\d+$/.test(s) ? Number(s) : s === 'last' ? -1 : NaN;
  const at = n > 0 ? users[n - 1] : n < 0 ? users[users.length + n] : undefined;
  if (at) return at;
  throw new UsageError(
    `no message "${spec}": give 1 to ${users.length} (your messages, oldest first, as \`hermes sessions show\` numbers them), -1 for the last, or a message id`,
  );
}
