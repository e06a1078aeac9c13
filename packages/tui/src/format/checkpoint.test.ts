import { emptyTranscript, fold, type EventDraft, type HermesEvent } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { filesChangedDetail, filesChangedLine, rewoundLine } from './checkpoint.js';
import { transcriptToMarkdown, transcriptToText } from './transcript.js';

let seq = 0;
const ev = (d: EventDraft & { runId?: string }): HermesEvent =>
  ({ v: 1, seq: ++seq, sessionId: 's', ts: '2026-12-01T12:00:00.000Z', ...d }) as HermesEvent;
const f = (path: string, additions: number, deletions: number, status: 'added' | 'modified' | 'deleted' = 'modified') => ({
  path,
  status,
  additions,
  deletions,
});

describe('files changed', () => {
  it('sums the lines: "3 files changed (+12 −4)"; one file is singular; the detail names a few', () => {
    const files = [f('a.ts', 10, 4), f('b.ts', 2, 0, 'added'), f('c.ts', 0, 0, 'deleted')];
    expect(filesChangedLine(files)).toBe('3 files changed (+12 −4)');
    expect(filesChangedLine([f('a', 1, 1)])).toBe('1 file changed (+1 −1)');
    expect(filesChangedDetail(files, 2)).toBe('3 files changed (+12 −4): a.ts, b.ts, +1 more');
  });
  it('a rewind line says what it did and how to take it back; skipped paths one per line', () => {
    expect(rewoundLine({ mode: 'code', restored: ['a'], skipped: [{ path: 'b', reason: 'changed since' }] }, 'fix it')).toBe(
      '⟲ files put back as they were before “fix it” (conversation kept) · restored 1 file: a\n  kept b: changed since',
    );
  });
});

describe('sessions show', () => {
  it('shows the changes under the run, marks what a rewind hid, and a fork says where it came from', () => {
    seq = 0;
    const t = fold(emptyTranscript('s'), [
      ev({ type: 'session.created', data: { title: 'T', model: null, workspace: '/w', forkedFrom: { sessionId: 'parent', seq: 9 } } }),
      ev({ type: 'message.user', data: { messageId: 'u1', text: 'edit' } }),
      ev({ type: 'run.started', runId: 'r1', data: { model: null } }),
      ev({ type: 'checkpoint.created', runId: 'r1', data: { runId: 'r1', before: 'x', after: 'y', files: [f('a.ts', 3, 1)] } }),
      ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } }),
      ev({ type: 'message.user', data: { messageId: 'u2', text: 'more' } }),
      ev({ type: 'session.rewound', data: { rewindId: 'rwd_1', toMessageId: 'u2', mode: 'both', restored: [], skipped: [] } }),
      ev({ type: 'message.user', data: { messageId: 'u3', text: 'instead' } }),
    ]);
    const text = transcriptToText(t);
    expect(text).toContain('forked from session parent (its first 9 events) · same workspace /w');
    expect(text).toContain('  ± 1 file changed (+3 −1): a.ts');
    const hidden = text.indexOf('┄┄ rewound (rwd_1): hidden from the model ┄┄');
    expect(hidden).toBeGreaterThan(text.indexOf('± 1 file'));
    expect(text.indexOf('more')).toBeGreaterThan(hidden);
    expect(text.indexOf('┄┄ end of the rewound part ┄┄')).toBeGreaterThan(text.indexOf('more'));
    expect(text.indexOf('instead')).toBeGreaterThan(text.indexOf('end of the rewound part'));
    // The markdown export (/copy) has the visible conversation only.
    const md = transcriptToMarkdown(t);
    expect(md).toContain('1 file changed (+3 −1): a.ts');
    expect(md).not.toContain('more');
  });
});
