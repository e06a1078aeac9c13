import type { SessionSummary } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { emptyPicker, pickerReduce, wantsMore } from './session-picker-state.js';
import { pickerLines } from './SessionPicker.js';

const s = (i: number, title = `session ${i}`): SessionSummary => ({
  id: `20260101_000000_${String(i).padStart(6, '0')}`,
  title,
  model: null,
  workspace: '/',
  createdAt: '',
  updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  status: 'idle',
  lastSeq: 1,
});
const page = (from: number, n: number, total: number, next: string | null) => ({
  sessions: Array.from({ length: n }, (_, k) => s(from + k)),
  total,
  nextCursor: next,
});

describe('the /sessions picker state', () => {
  it('pages: moving near the end wants the next page, which is appended once', () => {
    let p = pickerReduce(emptyPicker(), { type: 'page', generation: 0, page: page(0, 50, 120, 'c1'), append: false });
    expect(p).toMatchObject({ total: 120, nextCursor: 'c1', loading: false });
    expect(wantsMore(p)).toBe(false);
    p = pickerReduce(p, { type: 'move', by: 46 });
    expect(wantsMore(p)).toBe(true);
    p = pickerReduce(p, { type: 'page', generation: 0, page: page(45, 50, 120, 'c2'), append: true });
    expect(p.sessions).toHaveLength(95);
    expect(new Set(p.sessions.map((x) => x.id)).size).toBe(95);
    expect(p.index).toBe(46);
    p = pickerReduce(p, { type: 'move', by: 1000 });
    expect(p.index).toBe(94);
  });

  it('a new filter drops answers to the old one (typing faster than the daemon answers)', () => {
    let p = pickerReduce(emptyPicker(), { type: 'page', generation: 0, page: page(0, 50, 120, 'c1'), append: false });
    p = pickerReduce(p, { type: 'filter', text: 'lo' });
    p = pickerReduce(p, { type: 'filter', text: 'log' });
    const late = pickerReduce(p, { type: 'page', generation: 1, page: page(0, 3, 3, null), append: false });
    expect(late).toBe(p);
    p = pickerReduce(p, { type: 'page', generation: 2, page: { sessions: [s(7, 'login')], total: 1, nextCursor: null }, append: false });
    expect(p.sessions.map((x) => x.title)).toEqual(['login']);
    expect(wantsMore(p)).toBe(false);
  });

  it('an older daemon (no total) is filtered here', () => {
    let p = pickerReduce(emptyPicker(), { type: 'filter', text: 'LOG' });
    p = pickerReduce(p, {
      type: 'page',
      generation: 1,
      page: { sessions: [s(1, 'login'), s(2, 'other'), s(3, 'Catalog')] },
      append: false,
    });
    expect(p.sessions.map((x) => x.title)).toEqual(['login', 'Catalog']);
  });

  it('renders the filter, the count and an empty result', () => {
    const text = (lines: ReturnType<typeof pickerLines>) => lines.map((l) => l.map((x) => x.text).join('')).join('\n');
    expect(text(pickerLines([s(1)], 0, '', 80, 5, Date.now(), { filter: '', total: 340, loading: false }))).toMatch(
      /Switch session {2}1 of 340 {2}type to filter/,
    );
    expect(text(pickerLines([], 0, '', 80, 5, Date.now(), { filter: 'zz', total: 0, loading: false }))).toMatch(
      /filter: zz▏[\s\S]*no session matches/,
    );
  });
});
