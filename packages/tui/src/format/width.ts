import stringWidth, { type Options } from 'string-width';
import stripAnsi from 'strip-ansi';

/**
 * Terminal column widths, from one library for the whole `hermes` command: `string-width`,
 * the one Ink itself uses to lay out <Text>, so our own wrapping and Ink's agree (emoji
 * sequences such as 👍🏽 or a family count 2, ☑ counts 1, CJK and Hangul 2, marks 0).
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Code points string-width counts as one column each, none of which joins a neighbour into one
 * grapheme: printable ASCII, Latin, Greek and Cyrillic letters, and the punctuation, arrows,
 * maths, box drawing, shapes, braille and marks the UI draws with (emoji-presentation ones such
 * as ◽ ☕ ✅ ❌ ⏳ left out: they are two). string-width is exact but slow off ASCII: a grapheme
 * segmenter and an emoji regex per character, its first such call tens of ms; every row of the
 * UI has a › │ • or ─. A test checks every code point listed here against string-width.
 */
export const NARROW_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x20, 0x7e],
  [0xa1, 0xac],
  [0xae, 0x2ff],
  [0x370, 0x482],
  [0x48a, 0x52f],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x2100, 0x214f],
  [0x2190, 0x22ff],
  [0x2500, 0x25fc],
  [0x2610, 0x2611],
  [0x2699, 0x2699],
  [0x26a0, 0x26a0],
  [0x2713, 0x2717],
  [0x273b, 0x273b],
  [0x27c0, 0x28ff],
];
const hex = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;
const NARROW = new RegExp(`^[${NARROW_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}]*$`);

/**
 * string-width's answer, faster: ANSI codes stripped as it strips them, then the fast path,
 * else string-width itself on the stripped text. The bundle gives it to Ink and the libraries
 * it uses in place of string-width (scripts/bundle.mjs): Ink measures every row of the live
 * region on every frame, and each has a › │ or ─ in it.
 */
export function fastStringWidth(text: string, options?: Options): number {
  if (options !== undefined) return stringWidth(text, options);
  const visible = text.includes('\x1b') || text.includes('\x9b') ? stripAnsi(text) : text;
  return PRINTABLE_ASCII.test(visible) || NARROW.test(visible) ? visible.length : stringWidth(visible, { countAnsiEscapeCodes: true });
}

export function displayWidth(text: string): number {
  // Most text is ASCII, and nearly all the rest one column a character: skip the segmenter.
  return PRINTABLE_ASCII.test(text) || NARROW.test(text) ? text.length : stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: an emoji with modifiers or a letter with its marks is one. */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text) || NARROW.test(text)) return [...text];
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
