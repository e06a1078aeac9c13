import type { SearchEnd, SearchHit } from '@hermes/protocol';
import { relativeTime } from './time.js';

/** How `hermes sessions list` and `search` word their notes (stderr) and search hits (stdout). */
export const listWords = {
  none: 'no sessions yet: start one with `hermes` or `hermes send "…"`',
  noMatch: (q: string) => `no session title or first message matches ${JSON.stringify(q)}`,
  more: (shown: number, total: number) => `(${shown} of ${total} shown; --all for every one, --limit N for more)`,
  badLimit: '--limit must be at least 1 (use --all for every session)',
  noHits: (q: string) => `no message matches ${JSON.stringify(q)}`,
  searchEnd: (end: SearchEnd) =>
    `${end.hits} match${end.hits === 1 ? '' : 'es'} in ${end.sessionsSearched} session${end.sessionsSearched === 1 ? '' : 's'} searched${end.truncated ? ' (stopped at --limit; there may be more)' : ''}`,
};

/** One search hit: the session and where in it, then the matching text, indented. */
export function searchHitLines(hit: SearchHit, now = Date.now()): string {
  const who = hit.role === 'user' ? 'you' : 'assistant';
  return `${hit.sessionId}  ${hit.title || '(untitled)'}  #${hit.seq} ${who}, ${relativeTime(hit.updatedAt, now)}\n    ${hit.snippet}\n`;
}
