import type { SessionSummary } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { encodeCursor, pageSessions, parseListQuery } from './list-query.js';

const summary = (i: number, extra: Partial<SessionSummary> = {}): SessionSummary => ({
  id: `20260101_000000_${String(i).padStart(6, '0')}`,
  title: `session ${i}`,
  model: null,
  workspace: '/w',
  createdAt: '2026-01-01T00:00:00.000Z',
  // Pairs share a time: the id breaks the tie.
  updatedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 1000).toISOString(),
  status: 'idle',
  lastSeq: 3,
  ...extra,
});

const params = (q: string) => new URLSearchParams(q);

describe('session list paging', () => {
  const all = Array.from({ length: 125 }, (_, i) => summary(i));

  it('walks every session exactly once, most recent first, following nextCursor', () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const parsed = parseListQuery(params(`limit=20${cursor ? `&before=${cursor}` : ''}`));
      if (!parsed.ok || !parsed.query) throw new Error('parse');
      const page = pageSessions(all, parsed.query);
      expect(page.total).toBe(125);
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(7);
    expect(seen).toEqual([...all].reverse().map((s) => s.id));
  });

  it('a cursor stays valid when newer sessions appear or the cursor session itself changes', () => {
    const first = pageSessions(all, { limit: 10 });
    const cursor = parseListQuery(params(`before=${first.nextCursor}&limit=10`));
    if (!cursor.ok || !cursor.query) throw new Error('parse');
    const newer = [...all.slice(0, 115), summary(500, { updatedAt: '2027-01-01T00:00:00.000Z' })];
    const next = pageSessions(newer, cursor.query);
    expect(next.sessions[0]!.id).toBe(all[114]!.id);
  });

  it('q matches the title and the first message, case-insensitively', () => {
    const set = [
      summary(1, { title: 'Fix the LOGIN bug' }),
      summary(2, { title: 'other', firstMessage: 'why does login fail on Safari?' }),
      summary(3, { title: 'unrelated', firstMessage: 'logs' }),
    ];
    const page = pageSessions(set, { q: 'login' });
    expect(page.sessions.map((s) => s.title)).toEqual(['other', 'Fix the LOGIN bug']);
    expect(page.total).toBe(2);
    expect(page.nextCursor).toBeNull();
  });

  it('rejects bad parameters with a message, and no parameters means the whole list', () => {
    expect(parseListQuery(params(''))).toEqual({ ok: true, query: null });
    for (const bad of [
      'limit=0',
      'limit=-1',
      'limit=abc',
      'limit=1e3',
      'limit=100000',
      'before=nope!',
      `before=${Buffer.from('[1,2]').toString('base64url')}`,
      `q=${'x'.repeat(501)}`,
    ]) {
      const r = parseListQuery(params(bad));
      expect(r.ok, bad).toBe(false);
    }
    expect(parseListQuery(params(`before=${encodeCursor(all[3]!)}`))).toMatchObject({ ok: true, query: { before: { id: all[3]!.id } } });
  });
});
