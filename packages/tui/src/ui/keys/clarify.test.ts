import type { ClarifyQuestion } from '@hermes/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClarifyAnswers, clarifyAnswersProblem } from '@hermes/protocol';
import { clarifyKey, clarifyPaste, initialPick, type ClarifyKeyResult, type ClarifyPick } from './clarify.js';
import { parseKey } from './parse.js';

const DB: ClarifyQuestion = {
  question: 'Which database?',
  header: 'Database',
  options: [{ label: 'SQLite', description: 'a file' }, { label: 'Postgres' }, { label: 'MySQL' }],
};
const FEATURES: ClarifyQuestion = {
  question: 'Which features?',
  header: 'Features',
  multiSelect: true,
  options: [{ label: 'Auth' }, { label: 'Billing' }, { label: 'Search' }],
};
const NAME: ClarifyQuestion = { question: 'What is it called?' };

const UP = '\x1b[A';
const DOWN = '\x1b[B';
const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';
const TAB = '\t';
const BACKTAB = '\x1b[Z';
const ESC = '\x1b';
const ENTER = '\r';

/** Feeds keys (one raw sequence each; a plain string of letters is typed one by one) until one submits. */
function drive(questions: ClarifyQuestion[], keys: string[], from?: ClarifyPick): ClarifyKeyResult & { hints: string[] } {
  let res: ClarifyKeyResult = { state: from ?? initialPick('c1', questions) };
  const hints: string[] = [];
  const raw = keys.flatMap((k) => (k.startsWith('\x1b') || k.length === 1 ? [k] : [...k]));
  for (const k of raw) {
    res = clarifyKey(questions, res.state, parseKey(k));
    if (res.hint) hints.push(res.hint);
    if (res.submit !== undefined) return { ...res, hints };
  }
  return { ...res, hints };
}

describe('clarify picker keys: one question', () => {
  it('arrows move and Enter picks; the highlighted row stays within the options and Other…', () => {
    expect(drive([DB], [DOWN, ENTER]).submit).toEqual([['Postgres']]);
    expect(drive([DB], [UP, UP, ENTER]).submit).toEqual([['SQLite']]);
    expect(drive([DB], [DOWN, DOWN, DOWN, DOWN, DOWN, UP, ENTER]).submit).toEqual([['MySQL']]);
    expect(drive([DB], ['\x0e', '\x0e', '\x10', ENTER]).submit).toEqual([['Postgres']]);
  });

  it('a number picks at once; a number past Other… does nothing', () => {
    expect(drive([DB], ['3']).submit).toEqual([['MySQL']]);
    expect(drive([DB], ['9']).submit).toBeUndefined();
  });

  it('a recommended option starts highlighted', () => {
    const q = { ...DB, options: [{ label: 'SQLite' }, { label: 'Postgres (Recommended)' }] };
    expect(drive([q], [ENTER]).submit).toEqual([['Postgres (Recommended)']]);
  });

  it('Other…: Enter on it (or its number) opens a text field; the text is the answer', () => {
    expect(drive([DB], ['\x1b[F', ENTER, 'DuckDB', ENTER]).submit).toEqual([['DuckDB']]);
    expect(drive([DB], ['4', 'Redis', ENTER]).submit).toEqual([['Redis']]);
  });

  it('typing a letter starts Other… with it; digits then go into the text', () => {
    expect(drive([DB], ['maria 10', ENTER]).submit).toEqual([['maria 10']]);
  });

  it('Other… edits like the prompt: Backspace, Ctrl+U, arrows', () => {
    expect(drive([DB], ['4', 'abc', '\x7f', 'X', LEFT, LEFT, 'Y', ENTER]).submit).toEqual([['aYbX']]);
    expect(drive([DB], ['4', 'wrong', '\x15', 'right', ENTER]).submit).toEqual([['right']]);
  });

  it('Esc in Other… goes back to the options (the text kept); Esc there dismisses', () => {
    const back = drive([DB], ['4', 'draft', ESC]);
    expect(back.submit).toBeUndefined();
    expect(back.state.typing).toBe(false);
    expect(back.state.texts[0]!.text).toBe('draft');
    expect(drive([DB], [ESC]).submit).toBeNull();
    expect(drive([DB], ['4', 'x', ESC, ESC]).submit).toBeNull();
  });

  it('an empty Other… Enter goes back; ↑ leaves the field to the last option', () => {
    const empty = drive([DB], ['4', ENTER]);
    expect(empty.submit).toBeUndefined();
    expect(empty.state.typing).toBe(false);
    expect(drive([DB], ['4', UP, ENTER]).submit).toEqual([['MySQL']]);
  });

  it('a free-text question is a text field: Enter sends, empty Enter says so, Esc dismisses', () => {
    expect(drive([NAME], ['billing-api', ENTER]).submit).toEqual([['billing-api']]);
    const empty = drive([NAME], ['   ', ENTER]);
    expect(empty.submit).toBeUndefined();
    expect(empty.hints).toHaveLength(1);
    expect(drive([NAME], ['half', ESC]).submit).toBeNull();
    // Numbers and spaces are text here.
    expect(drive([NAME], ['1 2', ENTER]).submit).toEqual([['1 2']]);
  });

  it('Tab and arrows sideways do nothing with one question; Space does not pick a single option', () => {
    const r = drive([DB], [TAB, RIGHT, ' ']);
    expect(r.submit).toBeUndefined();
    expect(r.state.step).toBe(0);
  });

  it('paste goes into the typed answer', () => {
    const s = clarifyPaste([DB], initialPick('c1', [DB]), 'pasted text');
    expect(drive([DB], [ENTER], s).submit).toEqual([['pasted text']]);
  });
});

describe('clarify picker keys: multiSelect', () => {
  it('Space toggles, Enter confirms the toggled ones in option order', () => {
    expect(drive([FEATURES], [DOWN, DOWN, ' ', UP, UP, ' ', ENTER]).submit).toEqual([['Auth', 'Search']]);
    // Toggled twice: off again.
    expect(drive([FEATURES], [' ', DOWN, ' ', UP, ' ', ENTER]).submit).toEqual([['Billing']]);
    expect(drive([FEATURES], ['3', '1', ENTER]).submit).toEqual([['Auth', 'Search']]);
  });

  it('Enter with nothing toggled says how, and sends nothing', () => {
    const r = drive([FEATURES], [ENTER]);
    expect(r.submit).toBeUndefined();
    expect(r.hints[0]).toMatch(/Space/);
  });

  it('Other… adds a typed answer to the toggled ones', () => {
    expect(drive([FEATURES], [' ', '4', 'Export', ENTER]).submit).toEqual([['Auth', 'Export']]);
    expect(drive([FEATURES], ['4', 'Only this', ENTER]).submit).toEqual([['Only this']]);
  });
});

describe('clarify picker keys: several questions', () => {
  const ALL = [DB, FEATURES, NAME];

  it('answering one goes on to the next; the last goes to the review, where Enter submits', () => {
    const r = drive(ALL, ['2', ' ', ENTER, 'billing', ENTER]);
    expect(r.submit).toBeUndefined();
    expect(r.state.step).toBe(3);
    expect(drive(ALL, [ENTER], r.state).submit).toEqual([['Postgres'], ['Auth'], ['billing']]);
  });

  it('Tab/→ and Shift+Tab/← step without answering; the review sends only when all are answered', () => {
    const r = drive(ALL, [TAB, TAB, TAB, ENTER]);
    expect(r.submit).toBeUndefined();
    expect(r.hints).toEqual(['question 1 has no answer yet']);
    expect(r.state.step).toBe(0);
    expect(drive(ALL, [RIGHT, LEFT, BACKTAB], r.state).state.step).toBe(0);
    expect(drive(ALL, [BACKTAB], { ...r.state, step: 2 }).state.step).toBe(1);
  });

  it('the review: ↑ to a question and Enter goes back to change it; the new answer replaces the old', () => {
    const done = drive(ALL, ['1', '2', ENTER, 'name', ENTER]).state;
    const back = drive(ALL, [UP, UP, UP, ENTER], done).state;
    expect(back.step).toBe(0);
    const again = drive(ALL, ['3'], back).state;
    expect(again.step).toBe(3);
    expect(drive(ALL, [ENTER], again).submit).toEqual([['MySQL'], ['Billing'], ['name']]);
  });

  it('after a later question is answered first, answering goes to the one still open', () => {
    const r = drive(ALL, [TAB, '1', ENTER]);
    expect(r.state.step).toBe(2);
    const s = drive(ALL, ['n', ENTER], r.state).state;
    expect(s.step).toBe(0);
  });

  it('Esc dismisses the whole set, from any question and from the review', () => {
    expect(drive(ALL, [TAB, ESC]).submit).toBeNull();
    expect(drive(ALL, [TAB, TAB, TAB, ESC]).submit).toBeNull();
  });

  it('any key sequence keeps the state sound, and what it submits the daemon accepts', () => {
    const keys = fc.constantFrom(UP, DOWN, LEFT, RIGHT, TAB, BACKTAB, ENTER, ' ', '1', '2', '4', '5', 'x', '\x7f', '\x15');
    const qs = fc.subarray([DB, FEATURES, NAME, { ...DB, multiSelect: true }], { minLength: 1 });
    fc.assert(
      fc.property(qs, fc.array(keys, { maxLength: 40 }), (questions, seq) => {
        let s = initialPick('c', questions);
        for (const k of seq) {
          const r = clarifyKey(questions, s, parseKey(k));
          s = r.state;
          expect(s.step).toBeGreaterThanOrEqual(0);
          expect(s.step).toBeLessThanOrEqual(questions.length > 1 ? questions.length : 0);
          s.rows.forEach((row, i) => expect(row).toBeLessThanOrEqual(questions[i]!.options?.length ?? 0));
          if (r.submit) {
            expect(ClarifyAnswers.safeParse(r.submit).success).toBe(true);
            expect(clarifyAnswersProblem(questions, r.submit)).toBeNull();
            return;
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
