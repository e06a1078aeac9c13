import type { Transcript } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable, truncate } from './table.js';
import { relativeTime } from './time.js';
import { runEndText } from './run-end.js';
import { transcriptToMarkdown, transcriptToText, trimLines } from './transcript.js';
import { formatTokens } from './tokens.js';

describe('relativeTime', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it('says how long ago', () => {
    expect(relativeTime('2026-11-24T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2026-11-24T11:57:00Z', now)).toBe('3m ago');
    expect(relativeTime('2026-11-24T07:00:00Z', now)).toBe('5h ago');
    expect(relativeTime('2026-11-21T12:00:00Z', now)).toBe('3d ago');
    expect(relativeTime('2026-01-02T12:00:00Z', now)).toBe('2026-01-02');
    expect(relativeTime('garbage', now)).toBe('garbage');
  });
});

describe('tables', () => {
  it('aligns columns by display width, cuts long cells, right-aligns numbers', () => {
    const out = renderTable(
      [{ header: 'ID' }, { header: 'TITLE', max: 6 }, { header: 'N', align: 'right' }],
      [
        ['a', '日本語です', '2'],
        ['bb', 'a very long title', '10'],
      ],
    );
    expect(out).toBe(['ID  TITLE    N', 'a   日本…    2', 'bb  a ver…  10', ''].join('\n'));
    expect(displayWidth('日本')).toBe(4);
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
  it('keeps columns straight with emoji and symbols in titles (sessions list)', () => {
    const out = renderTable(
      [{ header: 'TITLE' }, { header: 'N', align: 'right' }],
      [
        ['✨ new', '1'],
        ['✅ done ❌', '2'],
        ['⭐👍🏽 ok', '3'],
        ['☑ plain', '4'],
      ],
    );
    const rows = out.trimEnd().split('\n');
    // Every N sits in the same terminal column.
    expect(new Set(rows.map((r) => displayWidth(r))).size).toBe(1);
    expect(truncate('👨‍👩‍👧‍👦👨‍👩‍👧‍👦x', 4)).toBe('👨‍👩‍👧‍👦…');
  });
});

const transcript: Transcript = {
  sessionId: '20261124_120000_abcdef',
  title: 'Fix the build',
  model: 'openai:gpt-4.1',
  workspace: '/src/app',
  createdAt: '2026-11-24T12:00:00Z',
  updatedAt: '2026-11-24T12:05:00Z',
  lastSeq: 9,
  items: [
    { kind: 'user', seq: 2, messageId: 'm1', text: 'why does it fail?' },
    { kind: 'assistant', seq: 4, messageId: 'a1', runId: 'r', text: 'Let me look.', reasoning: '', toolCalls: [], status: 'done' },
    {
      kind: 'tool',
      seq: 5,
      toolCallId: 't',
      runId: 'r',
      name: 'terminal',
      args: { command: 'npm test' },
      output: '',
      status: 'error',
      result: 'FAIL\n```\nx',
      exitCode: 1,
      durationMs: 1200,
    },
    { kind: 'notice', seq: 7, level: 'warn', message: 'retrying' },
    { kind: 'run_end', seq: 9, runId: 'r', stopReason: 'error', error: { kind: 'rate_limit', message: 'slow down', retryable: true } },
  ],
  queued: [],
  activeRunId: null,
  pendingApprovals: [],
  usage: { inputTokens: 10, outputTokens: 5 },
  status: 'idle',
  messageCount: 2,
};

describe('transcripts', () => {
  it('marks a message that steered a run, and waiting steers apart from queued messages', () => {
    const t: Transcript = {
      ...transcript,
      items: [...transcript.items, { kind: 'user', seq: 10, messageId: 'm2', text: 'use pnpm', delivery: 'steer' }],
      queued: [
        { messageId: 'q1', text: 'later' },
        { messageId: 'q2', text: 'now-ish', delivery: 'steer' },
      ],
    };
    const text = transcriptToText(t);
    expect(text).toContain('▌ you (steered the run) #2\n  use pnpm');
    expect(text).toContain('  (queued) later\n  (steering) now-ish');
  });
  it('renders readable text', () => {
    const text = transcriptToText(transcript);
    expect(text).toContain('▌ you #1\n  why does it fail?');
    expect(text).toContain('▌ assistant\n  Let me look.');
    expect(text).toContain('⚙ terminal: npm test → failed exit 1 (1.2s)\n    │ FAIL');
    expect(text).toContain('! retrying');
    expect(text).toContain('✗ run failed: rate_limit: slow down');
  });
  it('renders Markdown with fences that hold', () => {
    const md = transcriptToMarkdown(transcript);
    expect(md.startsWith('# Fix the build\n')).toBe(true);
    expect(md).toContain('## User\n\nwhy does it fail?');
    expect(md).toContain('**Tool `terminal`**: `npm test` — failed exit 1 (1.2s)\n\n````text\nFAIL\n```\nx\n````');
  });
  it('puts a tool call of a turn without text under the assistant, not the user (issue 12 item 14)', () => {
    const t: Transcript = {
      ...transcript,
      items: [
        { kind: 'user', seq: 2, messageId: 'm1', text: 'run the tests' },
        { kind: 'assistant', seq: 4, messageId: 'a1', runId: 'r', text: '', reasoning: '', toolCalls: [], status: 'done' },
        { kind: 'approval', seq: 5, approvalId: 'p', toolCallId: 't', tool: 'terminal', summary: 'npm test', decision: 'once', by: 'tui' },
        {
          kind: 'tool',
          seq: 6,
          toolCallId: 't',
          runId: 'r',
          name: 'terminal',
          args: { command: 'npm test' },
          output: '',
          status: 'ok',
          result: 'ok',
          exitCode: 0,
          durationMs: 100,
        },
        { kind: 'assistant', seq: 8, messageId: 'a2', runId: 'r', text: 'All green.', reasoning: '', toolCalls: [], status: 'done' },
      ],
    };
    const text = transcriptToText(t);
    expect(text).toMatch(/▌ you #1\n {2}run the tests\n\n▌ assistant\n\n {2}\? terminal: npm test[^\n]*\n\n {2}⚙ terminal: npm test/);
    // The reply after the tool continues the same assistant turn.
    expect(text.match(/▌ assistant/g)).toHaveLength(2);
    const md = transcriptToMarkdown(t);
    expect(md).toMatch(/## User\n\nrun the tests\n\n## Assistant\n\n> Approval for `terminal`[^\n]*\n\n\*\*Tool `terminal`\*\*/);
  });
  it('says an interruption once (issue 12 item 30)', () => {
    const t: Transcript = {
      ...transcript,
      items: [
        {
          kind: 'run_end',
          seq: 9,
          runId: 'r',
          stopReason: 'interrupted',
          error: { kind: 'interrupted', message: 'The daemon stopped while this run was in progress.', retryable: true },
        },
      ],
    };
    expect(transcriptToText(t)).toContain('✗ run interrupted: The daemon stopped while this run was in progress.\n');
    expect(runEndText('max_iterations')).toBe('run stopped: too many steps (agent.maxIterations)');
  });
  it('trims long output to its head and tail', () => {
    const long = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    expect(trimLines(long, 4)).toBe('l0\nl1\n… 16 more lines …\nl18\nl19');
  });
});

describe('compaction wording', () => {
  it('is one line with the trigger and the sizes', async () => {
    const { compactionLine } = await import('./compaction.js');
    expect(compactionLine({ trigger: 'auto', status: 'completed', tokensBefore: 182_400, tokensAfter: 14_020 })).toBe(
      'context compacted (auto) · 182k → 14k tokens',
    );
    expect(compactionLine({ trigger: 'manual', status: 'completed', tokensBefore: 3100, tokensAfter: 950 })).toBe(
      'context compacted (manual) · 3.1k → 950 tokens',
    );
    expect(
      compactionLine({
        trigger: 'overflow',
        status: 'failed',
        tokensBefore: 1,
        error: { kind: 'not_reduced', message: 'no gain', retryable: false },
      }),
    ).toBe('context not compacted (overflow): no gain');
  });

  it('the status line shows how full the context is, coloured as it fills', async () => {
    const { contextPart } = await import('../ui/views/StatusLine.js');
    const { emptyTranscript } = await import('@hermes/protocol');
    const t = (contextTokens?: number, contextWindow?: number) => ({
      ...emptyTranscript('s'),
      usage: {
        inputTokens: 0,
        outputTokens: 0,
        ...(contextTokens !== undefined ? { contextTokens } : {}),
        ...(contextWindow ? { contextWindow } : {}),
      },
    });
    expect(contextPart(t())).toBeNull();
    expect(contextPart(t(500))).toBeNull();
    const low = contextPart(t(20_000, 200_000))!;
    const mid = contextPart(t(130_000, 200_000))!;
    const high = contextPart(t(190_000, 200_000))!;
    expect([low.text, mid.text, high.text]).toEqual(['ctx 10%', 'ctx 65%', 'ctx 95%']);
    expect(new Set([low.style, mid.style, high.style]).size).toBe(3);
    expect(contextPart(t(300_000, 200_000))!.text).toBe('ctx 100%');
  });
});

describe('formatTokens', () => {
  it('is one short form at every magnitude, with no trailing .0', () => {
    expect([0, 999, 1000, 1500, 9_960, 14_020, 182_400, 999_499, 999_500, 1_250_000, 3_000_000].map(formatTokens)).toEqual([
      '0',
      '999',
      '1k',
      '1.5k',
      '10k',
      '14k',
      '182k',
      '999k',
      '1M',
      '1.3M',
      '3M',
    ]);
  });
});
