import { describe, expect, it } from 'vitest';
import { emptyTranscript, fold } from '../reducer.js';
import { HermesEvent, type EventDraft } from '../events.js';

const SID = '20261201_120000_abcdef';
const log = (drafts: EventDraft[]): HermesEvent[] =>
  drafts.map((d, i) => HermesEvent.parse({ v: 1, seq: i + 1, sessionId: SID, ts: `2026-12-01T12:00:0${i}.000Z`, ...d }));

describe('tool events', () => {
  it("a tool item keeps the daemon's summary and when it started; an older log's has neither summary nor a crash", () => {
    const t = fold(
      emptyTranscript(SID),
      log([
        { type: 'run.started', runId: 'r1', data: { model: null } },
        { type: 'tool.started', runId: 'r1', data: { toolCallId: 't1', name: 'terminal', args: { command: 'ls' }, summary: 'ls' } },
        { type: 'tool.started', runId: 'r1', data: { toolCallId: 't2', name: 'read_file', args: { path: 'a' } } },
        { type: 'tool.completed', runId: 'r1', data: { toolCallId: 't1', ok: true, result: 'a', durationMs: 12 } },
      ]),
    );
    const [t1, t2] = t.items;
    expect(t1).toMatchObject({ kind: 'tool', summary: 'ls', startedAt: '2026-12-01T12:00:01.000Z', status: 'ok', durationMs: 12 });
    expect(t2).toMatchObject({ kind: 'tool', startedAt: '2026-12-01T12:00:02.000Z', status: 'running' });
    expect(t2).not.toHaveProperty('summary');
  });

  it('a duplicate tool.started (a replay) keeps the first start', () => {
    const start = { toolCallId: 't1', name: 'terminal', args: {}, summary: 'first' };
    const events = log([
      { type: 'tool.started', runId: 'r1', data: start },
      { type: 'tool.started', runId: 'r1', data: { ...start, summary: 'second' } },
    ]);
    const t = fold(emptyTranscript(SID), events);
    expect(t.items).toHaveLength(1);
    expect(t.items[0]).toMatchObject({ summary: 'first', startedAt: events[0]!.ts });
  });
});
