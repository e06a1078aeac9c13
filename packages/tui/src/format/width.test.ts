import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, fastStringWidth, graphemes, NARROW_RANGES } from './width.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

describe('displayWidth', () => {
  it('every code point of the fast path is one column and its own grapheme, as string-width and Intl.Segmenter say', () => {
    const wrong: string[] = [];
    for (const [a, b] of NARROW_RANGES)
      for (let cp = a; cp <= b; cp++) {
        const ch = String.fromCodePoint(cp);
        // Alone, and between letters: nothing it could join with on either side.
        if (stringWidth(ch) !== 1 || stringWidth(`a${ch}b`) !== 3 || [...segmenter.segment(`a${ch}b`)].length !== 3)
          wrong.push(cp.toString(16));
      }
    expect(wrong).toEqual([]);
  });

  it('agrees with string-width on the UI glyphs and on what must take the slow path', () => {
    const samples = [
      '› message',
      '  │ const x = 1;',
      '• item — “quoted” … ±1 ≥ 2 − 3 → ↑ ↓ ↪',
      '╭─┬─╮ ├─┼─┤ ╰─┴─╯ ▌▏●○◐◌ ⠋⠙⠹ ⟲⟳ ✓✔✗ ✻ ⚙ ⚠ ☐☑ ℹ',
      'Ελληνικά кириллица é',
      // Not in the fast path: wide, emoji, combining, joiners, variation selectors, controls.
      '中文 日本語 한국어',
      '✅ ❌ ⏳ ☰ ⭐ ✨ ◽ 👍🏽 👩‍💻',
      'e\u0301 a\u200db ⚠\ufe0f ✔\ufe0f',
      'soft\u00adhyphen',
      '\x1b[31mred\x1b[0m',
    ];
    for (const s of samples) expect({ s, w: displayWidth(s) }).toEqual({ s, w: stringWidth(s) });
    // What Ink gets in the bundle: styled rows, also codes that strip into a new code.
    const styled = [
      ...samples.map((s) => `\x1b[1;36m${s}\x1b[39m\x1b[22m`),
      '\x1b[2m› \x1b[0m\x1b]8;;https://x.dev\x07link\x1b]8;;\x07',
      '\x9b31m│\x9b0m',
      '\x1b\x1b[0m[31m│',
      '',
    ];
    for (const s of [...samples, ...styled]) expect({ s, w: fastStringWidth(s) }).toEqual({ s, w: stringWidth(s) });
    expect(fastStringWidth('\x1b[31m│\x1b[0m', { countAnsiEscapeCodes: true })).toBe(
      stringWidth('\x1b[31m│\x1b[0m', { countAnsiEscapeCodes: true }),
    );
    expect(fastStringWidth('±', { ambiguousIsNarrow: false })).toBe(stringWidth('±', { ambiguousIsNarrow: false }));
  });

  it('splits graphemes as the segmenter does', () => {
    for (const s of ['› a│b', 'e\u0301x', '👩‍💻!', '中文']) expect(graphemes(s)).toEqual(Array.from(segmenter.segment(s), (g) => g.segment));
  });
});
