import { describe, expect, it } from 'vitest';
import { emptyTranscript, fold, HermesEvent, type EventDraft } from '@hermes/protocol';
import { initialCommit } from '../store/scrollback.js';
import type { Line } from '../text/lines.js';
import { liveBodyLines } from './live.js';

const SID = '20261201_120000_abcdef';
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const log = (drafts: EventDraft[]): HermesEvent[] =>
  drafts.map((d, i) => HermesEvent.parse({ v: 1, seq: i + 1, sessionId: SID, ts: new Date(T0 + i * 1000).toISOString(), ...d }));
const text = (lines: Line[]) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

function body(drafts: EventDraft[], now: number) {
  const transcript = fold(emptyTranscript(SID), log(drafts));
  return text(liveBodyLines({ transcript, commit: initialCommit, width: 80, reasoning: 'hidden', now, frame: 0 }));
}

const started = (summary?: string): EventDraft => ({
  type: 'tool.started',
  runId: 'r1',
  data: { toolCallId: 't1', name: 'search_files', args: { pattern: 'TODO', path: 'src' }, ...(summary ? { summary } : {}) },
});

describe('the live part of the screen', () => {
  it("a running tool shows the daemon's summary and how long it has run, from its start in the log", () => {
    const out = body([{ type: 'run.started', runId: 'r1', data: { model: null } }, started('grep TODO in src (*.ts)')], T0 + 1000 + 2500);
    expect(out).toContain('search_files  grep TODO in src (*.ts)');
    expect(out).toContain('2.5s');
  });

  it("a log without the daemon's summary falls back to one from the arguments", () => {
    const out = body([{ type: 'run.started', runId: 'r1', data: { model: null } }, started()], T0 + 1000);
    expect(out).toContain('search_files  TODO in src');
  });

  it('a tool waiting for an approval shows no clock', () => {
    const ask = { toolCallId: 't2', tool: 'terminal', summary: 'rm x', reasons: [], choices: ['once' as const, 'deny' as const] };
    const out = body(
      [
        { type: 'run.started', runId: 'r1', data: { model: null } },
        started('grep TODO in src'),
        { type: 'approval.requested', runId: 'r1', data: { approvalId: 'a1', ...ask } },
      ],
      T0 + 60_000,
    );
    expect(out).toContain('waiting for approval');
    expect(out).not.toMatch(/\d+(\.\d)?s\b|\dm\d/);
  });
});
