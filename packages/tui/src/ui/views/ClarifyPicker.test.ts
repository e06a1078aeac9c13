import type { ClarifyQuestion } from '@hermes/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clarifyKey, initialPick, type ClarifyPick } from '../keys/clarify.js';
import { parseKey } from '../keys/parse.js';
import { lineWidth, type Line } from '../text/lines.js';
import { clarifyPickerLines } from './ClarifyPicker.js';

const text = (lines: Line[]) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

const DB: ClarifyQuestion = {
  question: 'Which database should the service use?',
  header: 'Database',
  options: [
    { label: 'SQLite (Recommended)', description: 'one file next to the service' },
    { label: 'Postgres', description: 'a server; best for many writers' },
    { label: 'MySQL' },
    { label: 'DynamoDB', description: 'managed' },
  ],
};
const FEATURES: ClarifyQuestion = { question: 'Which features?', multiSelect: true, options: [{ label: 'Auth' }, { label: 'Billing' }] };
const NAME: ClarifyQuestion = { question: 'What should it be called?' };

const press = (qs: ClarifyQuestion[], s: ClarifyPick, ...keys: string[]) =>
  keys.reduce((st, k) => clarifyKey(qs, st, parseKey(k)).state, s);

describe('the clarify picker on screen', () => {
  it('one question: the heading, numbered options with descriptions, Other…, the keys', () => {
    const out = text(clarifyPickerLines([DB], initialPick('c', [DB]), 99, 17));
    expect(out).toContain('The agent asks');
    expect(out).toContain('Database · Which database should the service use?');
    expect(out).toContain('› 1. SQLite (Recommended)');
    expect(out).toContain('one file next to the service');
    expect(out).toContain('5. Other…');
    expect(out).toContain('↑↓ or 1-5 choose · Enter confirm · Esc dismiss');
  });

  it('several questions: tabs with what is answered, the review with every answer', () => {
    const qs = [DB, FEATURES, NAME];
    let s = press(qs, initialPick('c', qs), '2');
    const second = text(clarifyPickerLines(qs, s, 99, 17));
    expect(second).toContain('✓ Database  · Q2  · Q3  · Submit');
    expect(second).toContain('› [ ] 1. Auth');
    expect(second).toContain('Space toggle');
    expect(second).toContain('Tab next');
    s = press(qs, s, ' ', '\r', 'n', 'a', 'm', 'e', '\r');
    const review = text(clarifyPickerLines(qs, s, 99, 17));
    expect(review).toContain('Review your answers');
    expect(review).toContain('Database → Postgres');
    expect(review).toContain('Q2 → Auth');
    expect(review).toContain('Q3 → name');
    expect(review).toContain('› Submit answers');
  });

  it('Other… shows the typed text in its place; an unanswered question in the review says so', () => {
    const s = press([DB], initialPick('c', [DB]), '5', 'D', 'u', 'c', 'k');
    expect(text(clarifyPickerLines([DB], s, 99, 17))).toContain('› 5. Duck');
    const qs = [DB, NAME];
    const review = text(clarifyPickerLines(qs, press(qs, initialPick('c', qs), '\t', '\t'), 99, 17));
    expect(review).toContain('(no answer yet)');
  });

  it('small terminals: descriptions go, then the title; the highlighted row always shows', () => {
    const s = press([DB], initialPick('c', [DB]), '\x1b[F');
    const out = clarifyPickerLines([DB], s, 49, 8);
    expect(out.length).toBeLessThanOrEqual(8);
    expect(text(out)).toContain('› 5. Other…');
    expect(text(out)).toMatch(/↑ \d more/);
    expect(text(out)).not.toContain('one file next to the service');
  });

  it('never taller than the room nor wider than the width, whatever the state', () => {
    const long = 'word '.repeat(80);
    const q = fc.constantFrom<ClarifyQuestion>(
      DB,
      FEATURES,
      NAME,
      { question: long, header: 'Long', options: [{ label: long.slice(0, 100), description: long }, { label: 'b' }] },
      { question: '漢字の質問ですか？'.repeat(10), options: [{ label: '絵文字 🎉' }, { label: 'x' }] },
    );
    const keys = fc.array(fc.constantFrom('\x1b[A', '\x1b[B', '\t', '\r', ' ', '2', 'x', '5'), { maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(q, { minLength: 1, maxLength: 4 }),
        keys,
        fc.integer({ min: 20, max: 120 }),
        fc.integer({ min: 5, max: 20 }),
        (qs, ks, width, rows) => {
          const s = press(qs, initialPick('c', qs), ...ks);
          const out = clarifyPickerLines(qs, s, width, rows);
          expect(out.length).toBeLessThanOrEqual(rows);
          for (const l of out) expect(lineWidth(l)).toBeLessThanOrEqual(width);
          expect(out.some((l) => l.some((sp) => sp.text.startsWith('›')))).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
  });
});
