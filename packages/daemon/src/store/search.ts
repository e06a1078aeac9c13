import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { SearchEnd, SearchHit, SessionSummary } from '@hermes/protocol';

/** Characters of context on each side of a match in a snippet. */
const CONTEXT_CHARS = 60;

/** The text around the first match, on one line, with … where it was cut; null when no match. */
export function snippetOf(text: string, needle: string): string | null {
  const at = text.toLowerCase().indexOf(needle);
  if (at < 0) return null;
  const start = Math.max(0, at - CONTEXT_CHARS);
  const end = Math.min(text.length, at + needle.length + CONTEXT_CHARS);
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

/** The two event types whose text is a message: what the user wrote, what the assistant answered. */
const MESSAGE_TYPES = ['"type":"message.user"', '"type":"message.completed"'];

/**
 * Full-text search of user and assistant messages, straight from the logs (no session is
 * loaded into memory): sessions newest first, hits in seq order within each. A line is only
 * parsed when its raw text could contain the match (the needle as JSON escapes it).
 * `emit` may wait (the client's backpressure); `aborted` stops the scan (the client left).
 */
export async function searchLogs(opts: {
  dir: string;
  sessions: SessionSummary[];
  query: string;
  limit: number;
  emit: (hit: SearchHit) => Promise<void>;
  aborted: () => boolean;
}): Promise<SearchEnd> {
  const needle = opts.query.toLowerCase();
  const raw = JSON.stringify(needle).slice(1, -1);
  let hits = 0;
  let searched = 0;
  for (const s of opts.sessions) {
    if (opts.aborted() || hits >= opts.limit) break;
    searched++;
    const rl = createInterface({ input: createReadStream(path.join(opts.dir, `${s.id}.jsonl`)), crlfDelay: Infinity });
    try {
      for await (const line of rl) {
        if (!MESSAGE_TYPES.some((t) => line.includes(t)) || !line.toLowerCase().includes(raw)) continue;
        let e: { seq?: unknown; type?: unknown; data?: { text?: unknown } };
        try {
          e = JSON.parse(line) as typeof e;
        } catch {
          continue; // a torn last line
        }
        if (typeof e.data?.text !== 'string' || typeof e.seq !== 'number') continue;
        const snippet = snippetOf(e.data.text, needle);
        if (!snippet) continue;
        await opts.emit({
          type: 'hit',
          sessionId: s.id,
          title: s.title,
          seq: e.seq,
          role: e.type === 'message.user' ? 'user' : 'assistant',
          snippet,
          updatedAt: s.updatedAt,
        });
        if (++hits >= opts.limit || opts.aborted()) break;
      }
    } catch (err) {
      // A log deleted while it was searched: skip it.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    } finally {
      rl.close();
    }
  }
  return { type: 'end', hits, sessionsSearched: searched, truncated: hits >= opts.limit };
}
