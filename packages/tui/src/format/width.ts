import stringWidth from 'string-width';

/**
 * Terminal column widths, from one library for the whole `hermes` command: `string-width`,
 * the one Ink itself uses to lay out <Text>, so our own wrapping and Ink's agree (emoji
 * sequences such as 👍🏽 or a family count 2, ☑ counts 1, CJK and Hangul 2, marks 0).
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function displayWidth(text: string): number {
  // Most text is ASCII; skip the segmenter for it (wrapping measures every word).
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: an emoji with modifiers or a letter with its marks is one. */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return [...text];
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Cuts text to at most `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const g of graphemes(text)) {
    const gw = displayWidth(g);
    if (w + gw > width - 1) break;
    out += g;
    w += gw;
  }
  return `${out}…`;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
