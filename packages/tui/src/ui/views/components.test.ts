import { emptyTranscript, type SessionSummary, type ToolItem } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { lineWidth, type Line } from '../text/lines.js';
import { renderMarkdown } from '../markdown/markdown.js';
import { completionLines } from './Completions.js';
import { diffLines } from './Diff.js';
import { reasoningLines } from './messages/assistant.js';
import { noticeLines } from './messages/notice.js';
import { pickerLines } from './SessionPicker.js';
import { statusLine } from './StatusLine.js';
import { toolLines } from './ToolCard.js';

const rows = (ls: Line[]) => ls.map((l) => l.map((s) => s.text).join(''));

const tool = (over: Partial<ToolItem>): ToolItem => ({
  kind: 'tool',
  seq: 1,
  toolCallId: 't',
  name: 'terminal',
  args: {},
  output: '',
  status: 'ok',
  ...over,
});

describe('tool cards say what they hide', () => {
  it('a long output shows its tail and how many lines are hidden; Ctrl+O (full) shows them', () => {
    const output = Array.from({ length: 300 }, (_, i) => String(i + 1)).join('\n') + '\n';
    const card = rows(toolLines(tool({ args: { command: 'seq 1 300' }, output, exitCode: 0 }), { width: 60 }));
    expect(card).toContain('  │ … 295 lines hidden · Ctrl+O shows all');
    const narrow = toolLines(tool({ output }), { width: 30 });
    expect(narrow.every((l) => lineWidth(l) <= 30)).toBe(true);
    expect(card.at(-1)).toBe('  │ 300');
    const full = rows(toolLines(tool({ args: { command: 'seq 1 300' }, output }), { width: 60, full: true }));
    expect(full).toContain('  │ 1');
    expect(full.filter((r) => /^ {2}│ \d+$/.test(r))).toHaveLength(300);
  });
  it('a cut line ends in …', () => {
    const card = toolLines(tool({ output: 'x'.repeat(200) }), { width: 40 });
    expect(rows(card).at(-1)).toMatch(/^ {2}│ x+…$/);
    expect(card.every((l) => lineWidth(l) <= 40)).toBe(true);
  });
  it('read and search cards count what they found', () => {
    const read = tool({ name: 'read_file', args: { path: 'a.ts' }, result: '1\tone\n2\ttwo\n3\tthree' });
    expect(rows(toolLines(read, { width: 80 }))[0]).toContain('· 3 lines');
    const partial = tool({
      name: 'read_file',
      args: { path: 'a.ts' },
      result: '1\tone\n2\ttwo\n[… 98 more lines (100 total); continue with offset=3]',
    });
    expect(rows(toolLines(partial, { width: 80 }))[0]).toContain('· 2 of 100 lines');
    const search = tool({ name: 'search_files', args: { pattern: 'TODO' }, result: 'a.ts:1:TODO x\nb.ts:9:TODO y' });
    expect(rows(toolLines(search, { width: 80 }))[0]).toContain('· 2 matches');
    const none = tool({ name: 'search_files', args: { pattern: 'zzz' }, result: 'No matches for "zzz" in ..' });
    expect(rows(toolLines(none, { width: 80 }))[0]).toContain('· no matches');
  });
});

describe('diffs', () => {
  const diff = [
    '===================================================================',
    '--- a//home/me/x.txt',
    '+++ b//home/me/x.txt',
    '@@ -1,30 +1,30 @@',
    ...Array.from({ length: 30 }, (_, i) => `-old ${i}\n+new ${i}`),
  ].join('\n');
  it('drop the ===== rule, show absolute paths plainly, and keep the "more" row inside the card', () => {
    const out = rows(diffLines(diff, 80, 10, '  │ '));
    expect(out.some((r) => r.includes('====='))).toBe(false);
    expect(out[0]).toBe('  │ --- /home/me/x.txt');
    expect(out.at(-1)).toMatch(/^ {2}│ … \d+ more diff lines/);
  });
});

describe('the completion menu', () => {
  it('says when not every entry fits', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ value: `/c${i}`, label: `/c${i}` }));
    const out = rows(completionLines(items, 0, 60, 7));
    expect(out).toHaveLength(7);
    expect(out.at(-1)).toContain('1–6 of 10 · ↑↓ for more');
    expect(rows(completionLines(items.slice(0, 5), 0, 60, 7)).join('\n')).not.toContain(' of ');
  });
});

describe('reasoning', () => {
  const long = Array.from({ length: 12 }, (_, i) => `step ${i} of my thinking`).join('\n');
  it('collapses to a few lines and says how many more; full shows all; hidden shows none', () => {
    const collapsed = rows(reasoningLines(long, 80, 'collapsed'));
    expect(collapsed).toHaveLength(4);
    expect(collapsed[0]).toContain('9 more lines · /reasoning full shows all');
    expect(collapsed[1]).toContain('step 0');
    expect(rows(reasoningLines(long, 80, 'collapsed', true))[3]).toContain('step 11');
    expect(rows(reasoningLines(long, 80, 'full'))).toHaveLength(13);
    expect(reasoningLines(long, 80, 'hidden')).toEqual([]);
  });
});

describe('notices (/help)', () => {
  it('wrap a two-column line under its second column', () => {
    const out = rows(noticeLines('plain', '  Ctrl+C  clear the draft, else cancel the run, else exit (press twice)', 40));
    expect(out[0]).toBe('  Ctrl+C  clear the draft, else cancel');
    expect(out.slice(1).every((r) => r.startsWith('          ') && r.trim() !== '')).toBe(true);
  });
  it('on a narrow screen put the second column under the first when it starts past half the row', () => {
    const line = `  ${'/reasoning [full|collapsed|hide]'.padEnd(34)}how the model's reasoning shows: a few lines`;
    const out = rows(noticeLines('plain', line, 49));
    expect(out).toEqual(['  /reasoning [full|collapsed|hide]', "      how the model's reasoning shows: a few", '      lines']);
    // Where it fits, or the second column starts early enough, it stays two columns.
    expect(rows(noticeLines('plain', '  /copy  copy the last reply', 49))).toEqual(['  /copy  copy the last reply']);
  });
});

describe('tables', () => {
  it('align cells as the delimiter row says', () => {
    const out = rows(renderMarkdown('| L | C | R |\n|:--|:-:|--:|\n| a | b | c |\n| long left | mid | 1 |', 80));
    expect(out).toContain('│ a         │  b  │   c │');
    expect(out).toContain('│ long left │ mid │   1 │');
  });
});

describe('the session picker', () => {
  it("shows each session's id and message count", () => {
    const s: SessionSummary = {
      id: '20261124_120000_abcdef',
      title: 'Fix the build',
      model: null,
      workspace: '/w',
      createdAt: '2026-11-24T12:00:00Z',
      updatedAt: '2026-11-24T12:00:00Z',
      status: 'idle',
      lastSeq: 3,
      messageCount: 4,
    };
    const out = rows(pickerLines([s], 0, '', 100, 5, Date.parse('2026-11-24T13:00:00Z')));
    expect(out[1]).toContain('Fix the build');
    expect(out[1]).toContain('1h ago · 4 msgs');
    expect(out[1]).toContain('20261124_120000_abcdef');
  });
});

describe('the status line names the model', () => {
  const t = (model: string | null) => ({ ...emptyTranscript('s1'), title: 'demo', model });
  const text = (l: Line) => l.map((s) => s.text).join('');

  it('the session’s own, else the configured one marked (default), else says none is configured', () => {
    expect(text(statusLine(t('openai:gpt-4.1'), 'live', 120, undefined, null, 'local:scripted'))).toContain(
      'demo · openai:gpt-4.1 · ● idle',
    );
    expect(text(statusLine(t(null), 'live', 120, undefined, null, 'local:scripted'))).toContain('demo · local:scripted (default) · ● idle');
    expect(text(statusLine(t(null), 'live', 120, undefined, null, null))).toContain('demo · no model configured · ● idle');
    expect(text(statusLine(t(null), 'live', 120))).toContain('demo · default model · ● idle');
  });

  it('a long title yields to the context meter (the hand-run lost it at 100 columns)', () => {
    const long = {
      ...emptyTranscript('s1'),
      title: '/tool terminal {"command":"cat a very long first message that became the title"}',
      model: 'scripted:any',
      workspace: '/home/u/project',
      usage: { ...emptyTranscript('s1').usage, inputTokens: 5000, outputTokens: 200, contextTokens: 4800, contextWindow: 6000 },
    };
    for (const width of [100, 80, 60]) {
      const line = text(statusLine(long, 'live', width));
      expect(line).toContain('ctx 80%');
      expect(line).toContain('● idle');
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line.startsWith('/tool t')).toBe(true);
    }
    // A short title is left whole.
    expect(text(statusLine({ ...long, title: 'demo' }, 'live', 100))).toMatch(/^demo · scripted:any · ● idle · 5\.2k tok · ctx 80%/);
  });
});
