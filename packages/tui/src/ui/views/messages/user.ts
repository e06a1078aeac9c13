import { sanitize, span, wrapLine, type Line } from '../../text/lines.js';
import { theme } from '../../theme/theme.js';

/** A user message: `› ` then the text, continuation rows indented. */
export function userLines(text: string, width: number, marker = '› '): Line[] {
  const rows: Line[] = [];
  sanitize(text)
    .split('\n')
    .forEach((l, i) => {
      const prefix: Line = [span(i === 0 ? marker : ' '.repeat(marker.length), theme.user)];
      rows.push(...wrapLine([...prefix, span(l, theme.user)], width, [span(' '.repeat(marker.length))]));
    });
  return rows;
}
