import type { SessionSummary } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { matchSession } from './common.js';

const session = (i: number): SessionSummary => ({
  id: `20261124_1200${String(i).padStart(2, '0')}_abc${i}`,
  title: `session ${i}`,
  model: null,
  workspace: '/w',
  createdAt: '2026-11-24T12:00:00Z',
  updatedAt: new Date(Date.UTC(2026, 10, 24, 12, i)).toISOString(),
  status: 'idle',
  lastSeq: 1,
});

describe('matchSession', () => {
  const all = Array.from({ length: 11 }, (_, i) => session(i));

  it('an ambiguous prefix lists the 5 most recent and says how many more there are (issue 12 item 30)', () => {
    let message = '';
    try {
      matchSession(all, '2026');
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe('"2026" matches 11 sessions:');
    expect(lines.slice(1, 6).map((l) => l.trim().split(/\s+/)[0])).toEqual([10, 9, 8, 7, 6].map((i) => session(i).id));
    expect(lines[6]).toBe('  … and 6 more (a longer prefix picks one)');
    expect(lines).toHaveLength(7);
  });

  it('a unique prefix, a suffix, latest; no match names the list command', () => {
    expect(matchSession(all, session(3).id.slice(0, 15)).id).toBe(session(3).id);
    expect(matchSession(all, 'abc7').id).toBe(session(7).id);
    expect(matchSession(all, 'latest').id).toBe(session(10).id);
    expect(() => matchSession(all, 'zzz')).toThrow('no session matches "zzz" (see `hermes sessions list`)');
  });
});
