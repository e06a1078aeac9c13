import { emptyTranscript, fold } from '@hermes/protocol';
import headless from '@xterm/headless';
import { render, Static } from 'ink';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render as renderTest } from 'ink-testing-library';
import { App, contentWidth, StaticEntryView } from '../App.js';
import { emptyDraft } from '../keys/editor.js';
import { advanceCommit, initialCommit, type StaticEntry } from '../store/scrollback.js';
import { base, ev, snapshotOf, strip } from '../testing/fake-store.test-helpers.js';
import { c } from '../theme/theme.js';
import { scrollbackText } from './scrollback-text.js';

const { Terminal } = headless;

/** A session with every kind of scrollback entry and the markdown, wrapping and widths that go wrong. */
function sampleEntries(): StaticEntry[] {
  const t = fold(emptyTranscript('s1'), [
    ...base(),
    ev({ type: 'reasoning.delta', runId: 'r1', data: { messageId: 'a1', text: 'Thinking about **it** first.' } }),
    ev({
      type: 'message.completed',
      runId: 'r1',
      data: {
        messageId: 'a1',
        reasoning: 'Thinking about **it** first.',
        text: [
          '# Heading one',
          '',
          'A paragraph with **bold**, *italic*, `inline code`, a [link](https://example.com/a/b) and a word that is far too long to fit: ' +
            'x'.repeat(130) +
            '.',
          '',
          '- item one',
          '- item two, long enough to wrap onto the next row at a narrow width, and then some more words',
          '  1. nested ordered',
          '',
          '> a quote that goes on and on and on and on and on and on and on and on and on and on',
          '',
          '```ts',
          'const x: number = 42; // a comment',
          'function f() { return "string"; }',
          '```',
          '',
          '中文的句子没有空格所以可以在任何字之间换行，这是一个很长的句子用来测试换行。 Emoji 👩‍💻 and tab\there.',
          '',
          '| a | b |',
          '|---|---|',
          '| 1 | 2 |',
        ].join('\n'),
        toolCalls: [{ id: 't1', name: 'terminal', args: { command: 'ls -la' } }],
      },
    }),
    ev({ type: 'tool.started', runId: 'r1', data: { toolCallId: 't1', name: 'terminal', args: { command: 'ls -la' } } }),
    ev({ type: 'tool.output', runId: 'r1', data: { toolCallId: 't1', text: 'file-a\nfile-b\n\x1b[31mred?\x1b[0m\n' } }),
    ev({ type: 'tool.completed', runId: 'r1', data: { toolCallId: 't1', ok: false, result: 'exit 2', durationMs: 1200, exitCode: 2 } }),
    ev({
      type: 'approval.requested',
      runId: 'r1',
      data: {
        approvalId: 'ap1',
        toolCallId: 't2',
        tool: 'terminal',
        summary: 'rm -rf build',
        reasons: ['recursive delete'],
        choices: ['once', 'session', 'always', 'deny'],
        pattern: 'rm -rf build',
      },
    }),
    ev({ type: 'approval.resolved', runId: 'r1', data: { approvalId: 'ap1', decision: 'once', by: 'tui' } }),
    ev({ type: 'tool.started', runId: 'r1', data: { toolCallId: 't2', name: 'write_file', args: { path: 'a.txt' } } }),
    ev({
      type: 'tool.completed',
      runId: 'r1',
      data: { toolCallId: 't2', ok: true, result: 'ok', durationMs: 5, diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n' },
    }),
    ev({ type: 'notice', runId: 'r1', data: { level: 'warn', message: 'a warning that is long enough to wrap '.repeat(4) } }),
    ev({
      type: 'run.completed',
      runId: 'r1',
      data: {
        stopReason: 'error',
        error: { kind: 'rate_limit', message: 'slow down', hint: 'wait a minute', retryable: true },
        usage: { inputTokens: 1200, outputTokens: 30 },
      },
    }),
    ev({ type: 'message.user', data: { messageId: 'u2', text: 'second question\nwith two lines' } }),
    ev({ type: 'run.started', runId: 'r2', data: { model: 'openai:gpt-4.1' } }),
    ev({ type: 'compaction.started', runId: 'r2', data: { compactionId: 'c1', trigger: 'auto', tokensBefore: 182_400 } }),
    ev({
      type: 'compaction.completed',
      runId: 'r2',
      data: { compactionId: 'c1', summary: '## Goal', keptFromSeq: 2, tokensBefore: 182_400, tokensAfter: 14_000 },
    }),
    ev({ type: 'run.completed', runId: 'r2', data: { stopReason: 'cancelled', usage: { inputTokens: 1, outputTokens: 1 } } }),
  ]);
  const local: StaticEntry = {
    key: 'l0',
    kind: 'local',
    level: 'plain',
    text: '… 12 earlier items (see them with: hermes sessions show s1)',
  };
  const { entries } = advanceCommit(t, initialCommit, 'k');
  expect(entries.length).toBeGreaterThan(8);
  return [local, ...entries, { key: 'l1', kind: 'local', level: 'error', text: 'an error notice' }];
}

/** What Ink writes for these entries through <Static> (the path the first screen took before). */
function inkStatic(entries: StaticEntry[], columns: number): string {
  const writes: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows: 10_000,
    isTTY: true,
    write: (s: string) => {
      writes.push(s);
      return true;
    },
  });
  const width = contentWidth(columns);
  // debug: every write is the whole static output plus the (here empty) live region.
  const r = render(
    <Static items={entries}>{(e) => <StaticEntryView key={e.key} entry={e} width={width} reasoning="collapsed" />}</Static>,
    { stdout: stdout as unknown as NodeJS.WriteStream, debug: true, patchConsole: false, exitOnCtrlC: false },
  );
  r.unmount();
  // The longest write: the cursor is shown again on unmount, in a write of its own.
  return writes.reduce((a, b) => (b.length > a.length ? b : a), '');
}

/** The emulated screen after `bytes`: every row, each cell with its character and attributes. */
async function screen(bytes: string, cols: number): Promise<{ text: string[]; cells: string[]; styled: number }> {
  const term = new Terminal({ cols, rows: 5, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(bytes.replace(/\n/g, '\r\n'), resolve));
  const buf = term.buffer.active;
  const text: string[] = [];
  const cells: string[] = [];
  const cell = buf.getNullCell();
  let styled = 0;
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y)!;
    text.push(line.translateToString(true));
    let row = '';
    for (let x = 0; x < cols; x++) {
      line.getCell(x, cell);
      const flags = [cell.isBold(), cell.isDim(), cell.isItalic(), cell.isUnderline(), cell.isInverse(), cell.isStrikethrough()];
      if (cell.getChars().trim() && (cell.getFgColorMode() !== 0 || flags.some(Boolean))) styled++;
      row += `${cell.getChars() || ' '}${cell.getWidth()}:${cell.getFgColorMode()}/${cell.getFgColor()}:${cell.getBgColorMode()}/${cell.getBgColor()}:${flags.map(Number).join('')};`;
    }
    cells.push(row);
  }
  term.dispose();
  // The cursor's row after the last newline is empty in both: trailing empty rows do not count.
  while (text.length && text.at(-1) === '') {
    text.pop();
    cells.pop();
  }
  return { text, cells, styled };
}

describe('scrollbackText (the history printed before Ink starts)', () => {
  const level = c.level;
  beforeAll(() => {
    c.level = 3; // colours on, as in a terminal: the styles are part of what must match
  });
  afterAll(() => {
    c.level = level;
  });

  for (const columns of [60, 120]) {
    it(`shows exactly what <Static> showed, at ${columns} columns`, async () => {
      const entries = sampleEntries();
      const before = await screen(inkStatic(entries, columns), columns);
      const after = await screen(scrollbackText(entries, contentWidth(columns), 'collapsed'), columns);
      expect(after.text).toEqual(before.text);
      expect(after.cells).toEqual(before.cells);
      // The sample is what it claims to be: styled, wrapped, every kind of entry on screen.
      const all = after.text.join('\n');
      for (const s of [
        'Heading one',
        'inline code',
        'nested ordered',
        'const x',
        '中文',
        'file-b',
        'rm -rf build',
        '+new',
        'slow down',
        'earlier items',
      ])
        expect(all).toContain(s);
      expect(after.text.length).toBeGreaterThan(30);
      expect(after.styled).toBeGreaterThan(200);
    });
  }

  it('prints nothing for no entries, and an entry without rows adds no row', () => {
    expect(scrollbackText([], 80, 'collapsed')).toBe('');
    const empty: StaticEntry = { key: 'e', kind: 'chunk', messageId: 'm', text: '', reasoning: '', from: 3, join: true };
    expect(scrollbackText([empty], 80, 'collapsed')).toBe('');
  });

  it('the App leaves the printed entries out of <Static> and prints the ones that come after', () => {
    const t = fold(emptyTranscript('s1'), [
      ...base(),
      ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: 'Already printed.', toolCalls: [] } }),
      ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } }),
    ]);
    const snapshot = snapshotOf(t);
    const later: StaticEntry = { key: 'later', kind: 'local', level: 'plain', text: 'came after the start' };
    const props = {
      width: 80,
      rows: 24,
      reasoning: 'collapsed' as const,
      bottom: { kind: 'input' as const, draft: emptyDraft, completions: null, placeholder: 'Type a message' },
      hint: null,
      now: 0,
      frame: 0,
    };
    const r = renderTest(<App {...props} snapshot={snapshot} printed={snapshot.staticEntries.length} />);
    r.rerender(
      <App
        {...props}
        snapshot={{ ...snapshot, staticEntries: [...snapshot.staticEntries, later] }}
        printed={snapshot.staticEntries.length}
      />,
    );
    const out = strip(r.frames.join(''));
    r.unmount();
    expect(out).not.toContain('Already printed.');
    expect(out).not.toContain('hello');
    expect(out).toContain('came after the start');
    expect(out).toContain('Type a message');
  });
});
