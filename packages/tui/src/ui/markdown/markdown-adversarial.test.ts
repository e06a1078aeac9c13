/**
 * The renderer against answers written to break it, as a model would send them. Checked by
 * what reaches the screen: every word of the source, in order; no row wider than the screen;
 * no control sequence from the source.
 */
import { describe, expect, it } from 'vitest';
import { lineWidth, type Line } from '../text/lines.js';
import { renderMarkdown } from './markdown.js';

const rowText = (l: Line) => l.map((s) => s.text).join('');

/** Words of the source (CJK characters one by one), without the syntax a renderer replaces. */
function words(md: string): string[] {
  return (
    md
      .replace(/^(\s*(?:[-*+]|\d+\.) )\[[ xX]\]/gm, '$1')
      .replace(/&(?:amp|lt|gt|quot|#39);/g, ' ')
      .match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * Checks the screen keeps every word in the source's order (`ordered: false` for a table, whose
 * narrow form repeats the headers per row) and fits the width; returns the rows.
 */
function check(md: string, width: number, ordered = true): string[] {
  const lines = renderMarkdown(md, width);
  const rows = lines.map(rowText);
  const text = rows.join('').replace(/[\s│─┌┐└┘├┤┬┴┼▌•☐☑]/g, '');
  let at = 0;
  const lost: string[] = [];
  for (const w of words(md)) {
    const i = text.indexOf(w, ordered ? at : 0);
    if (i < 0) lost.push(w);
    else if (ordered) at = i + w.length;
  }
  expect({ width, lost }).toEqual({ width, lost: [] });
  expect(lines.filter((l) => lineWidth(l) > width).map(rowText)).toEqual([]);
  return rows;
}

const CASES: Record<string, string> = {
  'nested lists, bold and code at item start': [
    '1. **Install** the deps:',
    '   - `npm ci` in the root',
    '     - **Note:** `--ignore-scripts` skips `postinstall`',
    '       1. `first` deep ordered',
    '       2. *second* deep ordered',
    '2. `npm test` runs everything',
    '   * [x] **done** task with `code`',
    '   * [ ] _open_ task',
  ].join('\n'),
  'fences inside lists, with and without a language, text after them': [
    '- Step one:',
    '',
    '  ```bash',
    '  export HERMES_HOME=/tmp/h && hermes daemon start --foreground',
    '  ```',
    '',
    '  Then check it:',
    '',
    '  ```',
    '  curl -s localhost:4317/v1/hello | jq .version',
    '  ```',
    '- Step two follows the fence',
  ].join('\n'),
  'tables with long, wide-character and code cells': [
    '| Option | 说明 | Default |',
    '| --- | --- | ---: |',
    '| `approvals.mode` | 每次运行命令之前询问用户是否允许执行 | `ask` |',
    '| tools.readable | Folders outside the workspace the tools may read without asking, one absolute path each | [] |',
    '| 絵文字 🚀 | ✅ works — even with emoji in cells | yes |',
  ].join('\n'),
  'long URLs and paths without spaces': [
    'See https://github.com/example/repository/blob/0123456789abcdef0123456789abcdef01234567/packages/daemon/src/session/run.ts#L120-L180 for the code.',
    '',
    '- A [link with a long target](https://example.com/a/very/long/path/that/does/not/fit/on/one/row/of/forty/columns?with=query&and=more) inside an item',
    '- The file /home/user/projects/hermes/packages/tui/src/ui/markdown/markdown-adversarial.test.ts',
  ].join('\n'),
  'CJK and Korean prose with inline code and bold': [
    '## 安装步骤',
    '',
    '首先运行 `npm install`，然后执行 **npm run build** 来构建所有的包。日本語の文章も表示できます：インストールが完了したら、ターミナルで確認してください。',
    '',
    '> 한국어 문장도 줄바꿈이 되어야 합니다. **굵은 글씨**와 `코드`를 포함합니다.',
  ].join('\n'),
  'quotes containing lists and code, headings, rules': [
    '# Title with `code` and **bold**',
    '',
    '> **Warning:** read this first',
    '> 1. quoted ordered item',
    '> 2. another with `inline`',
    '>',
    '> ```',
    '> quoted fence line',
    '> ```',
    '',
    '---',
    '',
    'Setext heading',
    '==============',
    '',
    '### Closed heading ###',
  ].join('\n'),
  'identifiers with underscores and stars, escapes and entities': [
    'Set `snake_case_name` and snake_case_words stay whole; 2*3*4 is arithmetic.',
    '',
    '\\*not emphasis\\* and \\_not either\\_ and AT&amp;T &lt;tag&gt; 5 &gt; 3',
    '',
    '**bold**text and text**bold** and ***both*** styles',
  ].join('\n'),
  'a code line longer than the screen': [
    '```ts',
    'const reallyLongIdentifierNumberOne = await someModule.someFunctionWithALongName(argumentNumberOne, argumentNumberTwo);',
    '```',
  ].join('\n'),
  'ordered list starting late, hard breaks': [
    '7. seventh item  ',
    '   continued after a hard break',
    '8. eighth item\\',
    '   after a backslash break',
  ].join('\n'),
};

describe('markdown written to break the renderer', () => {
  for (const [name, md] of Object.entries(CASES)) {
    const ordered = !name.startsWith('tables');
    for (const width of [40, 80, 120]) it(`${name} at ${width} columns`, () => void check(md, width, ordered));
  }

  it('a very narrow screen: deep nesting still fits and keeps its words', () => {
    for (const width of [20, 24, 30]) check(CASES['nested lists, bold and code at item start']!, width);
  });

  it('ordered lists keep their numbers', () => {
    const rows = check(CASES['ordered list starting late, hard breaks']!, 80);
    expect(rows[0]).toMatch(/^7\. seventh item/);
    expect(rows.some((r) => /^8\. eighth item/.test(r))).toBe(true);
    // A hard break starts a new row under the item's text.
    expect(rows).toContain('   continued after a hard break');
  });

  it('entities are decoded and escapes are taken literally', () => {
    const rows = check(CASES['identifiers with underscores and stars, escapes and entities']!, 120);
    const text = rows.join('\n');
    expect(text).toContain('snake_case_words');
    // `2*3*4` is 2, an emphasised 3, and 4 (CommonMark allows `*` inside a word): the digits stay.
    expect(text).toContain('*not emphasis*');
    expect(text).toContain('AT&T <tag> 5 > 3');
  });

  it('a table too wide for the screen keeps every cell word', () => {
    const rows = check(CASES['tables with long, wide-character and code cells']!, 40, false);
    expect(rows.join('\n')).toContain('approvals.mode');
  });

  it('control sequences in the answer never reach the terminal', () => {
    const evil = [
      'Clipboard \u001b]52;c;cm0gLXJmIH4=\u0007 grab, clear \u001b[2J\u001b[H screen,',
      '',
      '- item with \u001b[31mred\u001b[0m and a title \u001b]0;pwned\u0007 set',
      '',
      '| a | b |',
      '|---|---|',
      '| \u001b[5mblink\u001b[0m | \u009b2J |',
      '',
      '```',
      'code \u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007 and \r carriage',
      '```',
      '',
      '`inline \u001b[8mhidden\u001b[0m`',
    ].join('\n');
    for (const width of [40, 80]) {
      const text = renderMarkdown(evil, width)
        .flatMap((l) => l.map((s) => s.text))
        .join('');
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      for (const w of ['Clipboard', 'grab', 'screen', 'red', 'blink', 'carriage', 'hidden']) expect(text).toContain(w);
    }
  });
});
