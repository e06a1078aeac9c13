import { MAX_LIST_LIMIT, MAX_SEARCH_QUERY_CHARS, type ListSessionsResponse, type SessionSummary } from '@hermes/protocol';

export interface ListQuery {
  limit?: number;
  /** The cursor's position: sessions strictly after it (older, or same time and smaller id). */
  before?: { updatedAt: string; id: string };
  q?: string;
}

/** Most recent first; equal times by id, descending, so the order (and a cursor) is total. */
export function compareRecent(a: Pick<SessionSummary, 'updatedAt' | 'id'>, b: Pick<SessionSummary, 'updatedAt' | 'id'>): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function encodeCursor(s: Pick<SessionSummary, 'updatedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([s.updatedAt, s.id])).toString('base64url');
}

function decodeCursor(raw: string): ListQuery['before'] | null {
  if (raw.length > 400 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { updatedAt: v[0], id: v[1] };
  } catch {
    // not ours
  }
  return null;
}

/** Parses `?limit&before&q`; null when none is given (the whole list, as before). */
export function parseListQuery(params: URLSearchParams): { ok: true; query: ListQuery | null } | { ok: false; message: string } {
  const limit = params.get('limit');
  const before = params.get('before');
  const q = params.get('q');
  if (limit === null && before === null && q === null) return { ok: true, query: null };
  const query: ListQuery = {};
  if (limit !== null) {
    if (!/^\d{1,7}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIST_LIMIT) {
      return { ok: false, message: `limit must be an integer from 1 to ${MAX_LIST_LIMIT}` };
    }
    query.limit = Number(limit);
  }
  if (before !== null) {
    const at = decodeCursor(before);
    if (!at) return { ok: false, message: 'before is not a cursor this daemon gave out (use nextCursor from the previous page)' };
    query.before = at;
  }
  if (q !== null) {
    if (q.length > MAX_SEARCH_QUERY_CHARS) return { ok: false, message: `q is longer than ${MAX_SEARCH_QUERY_CHARS} characters` };
    if (q.trim()) query.q = q.trim();
  }
  return { ok: true, query };
}

/** Case-insensitive match on the title and the start of the first user message. */
export function matches(s: SessionSummary, needle: string): boolean {
  return s.title.toLowerCase().includes(needle) || (s.firstMessage?.toLowerCase().includes(needle) ?? false);
}

/** One page of sessions, most recent first (default page size 50 when only `q`/`before` is given). */
export function pageSessions(all: Iterable<SessionSummary>, query: ListQuery): Required<Omit<ListSessionsResponse, 'defaultModel'>> {
  const needle = query.q?.toLowerCase();
  const matching: SessionSummary[] = [];
  for (const s of all) if (!needle || matches(s, needle)) matching.push(s);
  matching.sort(compareRecent);
  let start = 0;
  if (query.before) {
    const at = query.before;
    // First session strictly after the cursor in the order (binary search: the list is sorted).
    let lo = 0;
    let hi = matching.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRecent(matching[mid]!, at) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const limit = query.limit ?? 50;
  const sessions = matching.slice(start, start + limit);
  const more = start + limit < matching.length;
  return { sessions, nextCursor: more && sessions.length > 0 ? encodeCursor(sessions.at(-1)!) : null, total: matching.length };
}
