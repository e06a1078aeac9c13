import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineWidth, type Line } from '../text/lines.js';
import { renderMarkdown } from './markdown.js';

const CORPUS = new URL('./corpus/', import.meta.url);
const answers = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ name: f, text: readFileSync(new URL(f, CORPUS), 'utf8') }));

const rowText = (l: Line) => l.map((s) => s.text).join('');
const render = (md: string, width: number) => renderMarkdown(md, width).map(rowText);

/**
 * Letters and digits of the source, without what is syntax and not text: task boxes, and link
 * titles (a tooltip in every renderer; a terminal has nowhere to show one).
 */
function sourceWords(md: string): string[] {
  return (
    md
      .replace(/^(\s*[-*+] )\[[ xX]\]/gm, '$1')
      .replace(/(\]\([^\s)]+) "[^"]*"\)/g, '$1)')
      // Chinese and Japanese may break between any two characters: each one is a "word".
      .match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The rendered text with all spacing and box drawing removed, rows run together. */
function compact(rows: string[]): string {
  return rows.join('').replace(/[\s│─┌┐└┘├┤┬┴┼▌]/g, '');
}

describe('markdown corpus: realistic answers keep every word', () => {
  it('has answers to test', () => expect(answers.length).toBeGreaterThanOrEqual(8));
  for (const a of answers) {
    for (const width of [40, 80, 120]) {
      it(`${a.name} at ${width} columns`, () => {
        const lines = renderMarkdown(a.text, width);
        const text = compact(lines.map(rowText));
        const missing = sourceWords(a.text).filter((w) => !text.includes(w));
        expect(missing).toEqual([]);
        // And nothing is wider than the screen (Ink would wrap it again and the live region would grow).
        expect(lines.filter((l) => lineWidth(l) > width).map(rowText)).toEqual([]);
      });
    }
  }
});

describe('html blocks', () => {
  it('are blocks like the others: one blank row between, where the source has one', () => {
    expect(render('<details>\n\ninside html\n\n</details>\n\nout', 80)).toEqual([
      '<details>',
      '',
      'inside html',
      '',
      '</details>',
      '',
      'out',
    ]);
    expect(render('Intro\n\n<br>\nafter', 80)).toEqual(['Intro', '', '<br>', 'after']);
  });
});

describe('lists', () => {
  it('keep the text of every item, after the marker', () => {
    const rows = render(
      '- **Bold start** of an item\n- `code start`\n- plain item\n\n1. First step is `npm install`\n2. Second\n\n- [ ] open task\n- [x] done task',
      80,
    );
    expect(rows).toEqual([
      '• Bold start of an item',
      '• code start',
      '• plain item',
      '',
      '1. First step is npm install',
      '2. Second',
      '',
      '☐ open task',
      '☑ done task',
    ]);
  });
  it('keep a long item whole, continuation rows under the text', () => {
    const rows = render('- the first words of a long item that has to wrap over more than one row', 30);
    expect(rows).toEqual(['• the first words of a long', '  item that has to wrap over', '  more than one row']);
  });
  it('nest with their own indent, numbering from the start given', () => {
    const rows = render('3. three\n   - inner **bold** text\n     1. deep `code`\n4. four', 80);
    expect(rows).toEqual(['3. three', '   • inner bold text', '     1. deep code', '4. four']);
  });
  it('keep the blank line after a fence inside an item', () => {
    const rows = render('1. Open a chat:\n\n   ```\n   hermes chat\n   ```\n\n   The first start is slow.\n2. Next', 80);
    expect(rows).toEqual(['1. Open a chat:', '   ', '   │ hermes chat', '   ', '   The first start is slow.', '2. Next']);
  });
  it('inside a quote keep the bar and the text', () => {
    expect(render('> - quoted item\n> - another', 80)).toEqual(['▌ • quoted item', '▌ • another']);
  });
  it('an item that starts with a fence keeps the code', () => {
    const rows = render('- ```js\n  const a = 1;\n  ```', 80);
    expect(rows.join('\n')).toContain('const a = 1;');
    expect(rows[0]).toMatch(/^• /);
  });
});
