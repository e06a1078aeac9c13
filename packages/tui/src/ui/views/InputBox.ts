import { sanitize, span, textWidth, wrapLine, type Line } from '../text/lines.js';
import type { Draft } from '../keys/editor.js';
import { theme } from '../theme/theme.js';

/**
 * The draft with a block cursor: `› ` on the first row, continuation rows indented. When the
 * draft is taller than `maxRows`, the rows around the cursor are kept.
 */
export function inputLines(d: Draft, width: number, maxRows: number, opts: { placeholder?: string; prompt?: string } = {}): Line[] {
  const prompt = opts.prompt ?? '› ';
  const pad = ' '.repeat(textWidth(prompt));
  if (!d.text) {
    return [[span(prompt, theme.accent), span(' ', theme.cursor), span(opts.placeholder ?? '', theme.dim)]];
  }
  const rows: Line[] = [];
  let cursorRow = 0;
  let offset = 0;
  sanitize(d.text.replace(/\t/g, ' '))
    .split('\n')
    .forEach((l, i) => {
      const start = offset;
      offset += l.length + 1;
      const prefix = span(i === 0 ? prompt : pad, theme.accent);
      let spans: Line;
      if (d.cursor >= start && d.cursor <= start + l.length) {
        const at = d.cursor - start;
        const ch = [...l.slice(at)][0] ?? ' ';
        spans = [prefix, span(l.slice(0, at)), span(ch, theme.cursor), span(l.slice(at + ch.length))];
        cursorRow = rows.length;
        const wrapped = wrapLine(spans, width, [span(pad)]);
        // The cursor's row within the wrapped line: count the text up to it.
        const upTo = textWidth(prompt) + textWidth(l.slice(0, at));
        cursorRow += Math.min(wrapped.length - 1, Math.floor(upTo / Math.max(1, width)));
        rows.push(...wrapped);
      } else {
        spans = [prefix, span(l)];
        rows.push(...wrapLine(spans, width, [span(pad)]));
      }
    });
  if (rows.length <= maxRows) return rows;
  const start = Math.max(0, Math.min(cursorRow - Math.floor(maxRows / 2), rows.length - maxRows));
  return rows.slice(start, start + maxRows);
}
