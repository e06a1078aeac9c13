import type { SessionSummary } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { sessionsTable } from './sessions.js';

describe('sessions table status column', () => {
  it('spells out "awaiting approval" (issue 12 item 30)', () => {
    const s: SessionSummary = {
      id: '20261124_120000_abcdef',
      title: 'x',
      model: null,
      workspace: '/w',
      createdAt: '2026-11-24T12:00:00Z',
      updatedAt: '2026-11-24T12:00:00Z',
      status: 'awaiting_approval',
      lastSeq: 3,
    };
    expect(sessionsTable([s], Date.parse('2026-11-24T12:00:00Z'))).toContain('awaiting approval');
    expect(sessionsTable([s])).not.toContain('approval?');
  });
});
