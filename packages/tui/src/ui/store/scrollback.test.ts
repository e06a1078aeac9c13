import { emptyTranscript, type AssistantItem, type Transcript } from '@hermes/protocol';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assistantLines } from '../views/messages/assistant.js';
import { entryLines, itemLines } from '../screen/entries.js';
import type { Line } from '../text/lines.js';
import { advanceCommit, initialCommit, type CommitState, type StaticEntry } from './scrollback.js';

const CORPUS = new URL('../markdown/corpus/', import.meta.url);
const answers = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ name: f, text: readFileSync(new URL(f, CORPUS), 'utf8') }));

const rows = (lines: Line[]) => lines.map((l) => l.map((s) => s.text).join(''));

function reply(text: string, status: AssistantItem['status']): Transcript {
  const item: AssistantItem = {
    kind: 'assistant',
    seq: 3,
    messageId: 'm',
    runId: 'r',
    text,
    reasoning: 'Let me think.',
    toolCalls: [],
    status,
  };
  return { ...emptyTranscript('s'), items: [item] };
}

/** Streams `text` in pieces cut at `cuts`, as the store does: what the scrollback ends up holding. */
function streamed(text: string, cuts: number[], width: number): string[] {
  let state: CommitState = initialCommit;
  const entries: StaticEntry[] = [];
  for (const end of [...cuts, text.length]) {
    const r = advanceCommit(reply(text.slice(0, end), 'streaming'), state, 'k', rowsAt(width));
    state = r.state;
    entries.push(...r.entries);
  }
  entries.push(...advanceCommit(reply(text, 'done'), state, 'k', rowsAt(width)).entries);
  return rows(entries.flatMap((e) => entryLines(e, width, 'full')));
}

/** The screen's rows of a reply's text, as the store gets them from the UI. */
const rowsAt = (width: number) => (text: string) => rows(assistantLines({ text, mode: 'hidden', width }));

const whole = (text: string, width: number) => rows(itemLines(reply(text, 'done').items[0]!, width, 'full'));

describe('a streamed reply renders as the same reply loaded whole', () => {
  for (const a of answers) {
    it(`${a.name}, any chunking, at 40/80/120 columns`, () => {
      const len = a.text.length;
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: len - 1 }), { maxLength: 40 }).map((c) => c.sort((x, y) => x - y)),
          fc.constantFrom(40, 80, 120),
          (cuts, width) => {
            expect(streamed(a.text, cuts, width)).toEqual(whole(a.text, width));
          },
        ),
        { numRuns: 30 },
      );
    });
  }

  it('one character at a time (a slow stream)', () => {
    for (const { text } of answers) {
      const cuts = Array.from({ length: text.length - 1 }, (_, i) => i + 1);
      expect(streamed(text, cuts, 80)).toEqual(whole(text, 80));
    }
  });

  it('keeps blank rows between blocks and a fence with a blank line inside a list item', () => {
    const text = 'Intro paragraph.\n\n- item with code:\n\n  ```js\n  const a = 1;\n\n  const b = 2;\n  ```\n- next item\n\nClosing words.';
    const cuts = Array.from({ length: text.length - 1 }, (_, i) => i + 1);
    const out = streamed(text, cuts, 60);
    expect(out).toEqual(whole(text, 60));
    expect(out.join('\n')).not.toContain('```');
    expect(out).toContain('  Intro paragraph.');
    expect(out[out.indexOf('  Intro paragraph.') + 1]).toBe('  ');
  });

  it('does not cut blocks that a blank line does not end (indented code, quotes, nested fences, loose lists)', () => {
    const texts = [
      'Run this:\n\n    npm ci\n\n    npm test\n\nThen look.',
      '> quoted first\n>\n> quoted second\n\nAfter.',
      '~~~sh\necho a\n\necho b\n~~~\n\nEnd.',
      '- loose one\n\n- loose two\n\n  more of two\n\n- three',
      '1. step\n\n       indented code in a step\n\n       more of it\n2. next',
      '<details>\n\ninside html\n\n</details>\n\nout',
    ];
    for (const text of texts) {
      const cuts = Array.from({ length: text.length - 1 }, (_, i) => i + 1);
      for (const width of [30, 80]) expect(streamed(text, cuts, width), JSON.stringify(text)).toEqual(whole(text, width));
    }
  });

  it('commits finished blocks while the reply streams (not all at the end)', () => {
    const text = 'First paragraph.\n\nSecond paragraph.\n\n- a\n- b\n- c';
    const r = advanceCommit(reply(text, 'streaming'), initialCommit, 'k');
    // `- c` may still grow (its line is not finished), so the list is cut before `- b`.
    expect(r.entries.map((e) => (e.kind === 'chunk' ? e.text : ''))).toEqual(['First paragraph.\n\nSecond paragraph.\n\n- a\n']);
    expect(r.state.join).toBe(true);
  });

  it('commits the rows of a long paragraph that is still streaming, once they cannot change', () => {
    const para = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const half = para.slice(0, 300);
    const r = advanceCommit(reply(half, 'streaming'), initialCommit, 'k', rowsAt(40));
    const printed = rows(r.entries.flatMap((e) => entryLines(e, 40, 'hidden')));
    // All rows but the last two of what has arrived are in the scrollback already.
    const shown = whole(half, 40).filter((l) => l.trim() && !l.includes('think'));
    expect(printed.filter((l) => l.trim())).toEqual(shown.slice(0, shown.length - 2));
    expect(r.state.join).toBe(true);
    // Markup could still change what earlier words look like: nothing is cut then.
    expect(advanceCommit(reply(`**${half}`, 'streaming'), initialCommit, 'k', rowsAt(40)).entries).toEqual([]);
  });
});
