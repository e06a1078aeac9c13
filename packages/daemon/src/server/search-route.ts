import type { ServerResponse } from 'node:http';
import { MAX_SEARCH_QUERY_CHARS, type SearchHit } from '@hermes/protocol';
import type { SessionManager } from '../session/manager.js';
import { drained, HttpError } from './respond.js';

const DEFAULT_HITS = 100;
const MAX_HITS = 1000;

/**
 * `GET /v1/search?q=TEXT[&limit=N]`: NDJSON, one `hit` line per match as it is found, then an
 * `end` line. Honours the client's backpressure and stops when it leaves.
 */
export async function searchRoute(res: ServerResponse, url: URL, m: SessionManager): Promise<void> {
  const q = url.searchParams.get('q') ?? '';
  if (!q.trim()) throw new HttpError(400, 'bad_request', 'give the text to search for as ?q=TEXT');
  if (q.length > MAX_SEARCH_QUERY_CHARS) throw new HttpError(400, 'bad_request', `q is longer than ${MAX_SEARCH_QUERY_CHARS} characters`);
  const rawLimit = url.searchParams.get('limit');
  if (rawLimit !== null && (!/^\d{1,5}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_HITS)) {
    throw new HttpError(400, 'bad_request', `limit must be an integer from 1 to ${MAX_HITS}`);
  }
  const limit = rawLimit === null ? DEFAULT_HITS : Number(rawLimit);
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  let gone = false;
  res.on('close', () => (gone = true));
  const emit = async (hit: SearchHit): Promise<void> => {
    if (res.write(JSON.stringify(hit) + '\n') || gone) return;
    await drained(res);
  };
  const end = await m.search(q.trim(), limit, emit, () => gone || res.destroyed);
  if (!gone) res.end(JSON.stringify(end) + '\n');
}
