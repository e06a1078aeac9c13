import type { ClarifyAnswers, ClarifyQuestion } from '@hermes/protocol';
import { CLARIFY_TEXT, isRecommended } from '../../format/clarify.js';
import { edit, emptyDraft, type Draft } from './editor.js';
import { inputIntent } from './input.js';
import type { Key } from './parse.js';

/**
 * The clarify picker's state, per pending question set: which question is shown (`step`; one
 * past the last is the review), the highlighted row of each (its options, then "Other…"), the
 * options toggled on for multiSelect, the text typed for "Other…" or a free-text question, and
 * the answers given so far. Pure: the Chat container keeps it in a ref and sends the result.
 */
export interface ClarifyPick {
  clarifyId: string;
  step: number;
  rows: number[];
  toggled: number[][];
  texts: Draft[];
  answers: (string[] | null)[];
  /** Editing the "Other…" text of the current question (free-text questions always are). */
  typing: boolean;
  /** The review's highlighted row: one per question, then Submit. */
  reviewRow: number;
}

export type ClarifyKeyResult = {
  state: ClarifyPick;
  /** Answers to send (all questions answered), or null to dismiss the whole set. */
  submit?: ClarifyAnswers | null;
  /** A short note for the hint line (why nothing happened). */
  hint?: string;
};

const optionsOf = (q: ClarifyQuestion) => q.options ?? [];
/** Rows of an options question: each option, then "Other…". */
const rowCount = (q: ClarifyQuestion) => optionsOf(q).length + 1;
export const isFreeText = (q: ClarifyQuestion) => optionsOf(q).length === 0;
export const isTyping = (q: ClarifyQuestion, s: ClarifyPick) => isFreeText(q) || s.typing;
export const inReview = (questions: readonly ClarifyQuestion[], s: ClarifyPick) => questions.length > 1 && s.step >= questions.length;

export function initialPick(clarifyId: string, questions: readonly ClarifyQuestion[]): ClarifyPick {
  return {
    clarifyId,
    step: 0,
    // A recommended option starts highlighted (the model's own suggestion), else the first.
    rows: questions.map((q) =>
      Math.max(
        0,
        optionsOf(q).findIndex((o) => isRecommended(o.label)),
      ),
    ),
    toggled: questions.map(() => []),
    texts: questions.map(() => emptyDraft),
    answers: questions.map(() => null),
    typing: false,
    reviewRow: questions.length,
  };
}

const set = <T>(xs: readonly T[], i: number, v: T): T[] => xs.map((x, j) => (j === i ? v : x));

/** Goes to another question (or the review), leaving "Other…" editing. */
function goTo(questions: readonly ClarifyQuestion[], s: ClarifyPick, step: number): ClarifyPick {
  const last = questions.length > 1 ? questions.length : 0;
  const next = Math.max(0, Math.min(last, step));
  return { ...s, step: next, typing: false, reviewRow: questions.length };
}

/** Records an answer; one question sends at once, several go on to the next unanswered one or the review. */
function commit(questions: readonly ClarifyQuestion[], s: ClarifyPick, answer: string[]): ClarifyKeyResult {
  const answers = set(s.answers, s.step, answer);
  const state = { ...s, answers, typing: false };
  if (questions.length === 1) return { state, submit: [answer] };
  const after = [...questions.keys()].map((k) => (s.step + 1 + k) % questions.length).find((k) => !answers[k]);
  return { state: goTo(questions, state, after ?? questions.length) };
}

/** The answer of a multiSelect question: the toggled labels in option order, then the typed text. */
function multiAnswer(q: ClarifyQuestion, s: ClarifyPick, step: number): string[] {
  const labels = [...s.toggled[step]!].sort((a, b) => a - b).map((i) => optionsOf(q)[i]!.label);
  const typed = s.texts[step]!.text.trim();
  return typed && !labels.includes(typed) ? [...labels, typed] : labels;
}

function toggle(s: ClarifyPick, step: number, i: number): ClarifyPick {
  const on = s.toggled[step]!;
  return { ...s, toggled: set(s.toggled, step, on.includes(i) ? on.filter((x) => x !== i) : [...on, i]) };
}

const plainChar = (key: Key) => key.name === 'char' && !key.ctrl && !key.meta;

/** The keys of the review step (several questions): ↑↓ over the questions and Submit, Enter opens one or sends. */
function reviewKey(questions: readonly ClarifyQuestion[], s: ClarifyPick, key: Key): ClarifyKeyResult {
  const n = questions.length;
  if (key.name === 'up') return { state: { ...s, reviewRow: Math.max(0, s.reviewRow - 1) } };
  if (key.name === 'down') return { state: { ...s, reviewRow: Math.min(n, s.reviewRow + 1) } };
  if (key.name === 'left' || key.name === 'backtab') return { state: goTo(questions, s, n - 1) };
  if (key.name === 'tab' || key.name === 'right') return { state: goTo(questions, s, 0) };
  if (key.name === 'enter') {
    if (s.reviewRow < n) return { state: goTo(questions, s, s.reviewRow) };
    const missing = s.answers.findIndex((a) => !a);
    if (missing !== -1) return { state: goTo(questions, s, missing), hint: CLARIFY_TEXT.unanswered(missing + 1) };
    return { state: s, submit: s.answers as string[][] };
  }
  return { state: s };
}

/** Keys while typing an answer ("Other…", or a free-text question): the line editor's, Enter takes it. */
function typingKey(questions: readonly ClarifyQuestion[], s: ClarifyPick, key: Key): ClarifyKeyResult {
  const q = questions[s.step]!;
  const free = isFreeText(q);
  const draft = s.texts[s.step]!;
  if (key.name === 'escape') return free ? { state: s, submit: null } : { state: { ...s, typing: false } };
  if (key.name === 'tab' && questions.length > 1) return { state: goTo(questions, s, s.step + 1) };
  if (key.name === 'backtab' && questions.length > 1) return { state: goTo(questions, s, s.step - 1) };
  if (key.name === 'up' && !free) return { state: { ...s, typing: false, rows: set(s.rows, s.step, optionsOf(q).length - 1) } };
  if (key.name === 'enter') {
    const text = draft.text.trim();
    if (q.multiSelect && !free) {
      const answer = multiAnswer(q, s, s.step);
      return answer.length ? commit(questions, s, answer) : { state: { ...s, typing: false }, hint: CLARIFY_TEXT.pickOne };
    }
    if (!text) return free ? { state: s, hint: CLARIFY_TEXT.typeFirst } : { state: { ...s, typing: false } };
    return commit(questions, s, [text]);
  }
  const intent = inputIntent(key);
  if (intent.kind !== 'edit') return { state: s };
  return { state: { ...s, texts: set(s.texts, s.step, edit(draft, intent.action)) } };
}

/**
 * One key of the clarify picker. Options: ↑↓ move, Enter picks (single) or confirms the toggled
 * ones (multiSelect, Space toggles), a number picks/toggles directly, typing starts "Other…".
 * Several questions: Tab/→ next, Shift+Tab/← back, then a review that sends. Esc dismisses
 * (from "Other…" it goes back to the options first).
 */
export function clarifyKey(questions: readonly ClarifyQuestion[], s: ClarifyPick, key: Key): ClarifyKeyResult {
  if (inReview(questions, s)) {
    if (key.name === 'escape') return { state: s, submit: null };
    return reviewKey(questions, s, key);
  }
  const q = questions[s.step]!;
  if (isTyping(q, s)) return typingKey(questions, s, key);
  const opts = optionsOf(q);
  const row = s.rows[s.step]!;
  const other = opts.length;
  const several = questions.length > 1;
  const startTyping = (text?: string): ClarifyKeyResult => {
    const draft = s.texts[s.step]!;
    const texts = text ? set(s.texts, s.step, edit(draft, { type: 'insert', text })) : s.texts;
    return { state: { ...s, typing: true, rows: set(s.rows, s.step, other), texts } };
  };
  const pick = (i: number): ClarifyKeyResult => {
    if (i === other) return startTyping();
    if (q.multiSelect) return { state: { ...toggle(s, s.step, i), rows: set(s.rows, s.step, i) } };
    return commit(questions, { ...s, rows: set(s.rows, s.step, i) }, [opts[i]!.label]);
  };
  switch (key.name) {
    case 'escape':
      return { state: s, submit: null };
    case 'up':
      return { state: { ...s, rows: set(s.rows, s.step, Math.max(0, row - 1)) } };
    case 'down':
      return { state: { ...s, rows: set(s.rows, s.step, Math.min(rowCount(q) - 1, row + 1)) } };
    case 'home':
      return { state: { ...s, rows: set(s.rows, s.step, 0) } };
    case 'end':
      return { state: { ...s, rows: set(s.rows, s.step, other) } };
    case 'tab':
    case 'right':
      return several ? { state: goTo(questions, s, s.step + 1) } : { state: s };
    case 'backtab':
    case 'left':
      return several ? { state: goTo(questions, s, s.step - 1) } : { state: s };
    case 'enter': {
      if (row === other) return startTyping();
      if (!q.multiSelect) return pick(row);
      const answer = multiAnswer(q, s, s.step);
      return answer.length ? commit(questions, s, answer) : { state: s, hint: CLARIFY_TEXT.pickOne };
    }
    default:
      break;
  }
  if (key.name === 'char' && key.ctrl && key.text === 'p') return clarifyKey(questions, s, { ...key, name: 'up', ctrl: false });
  if (key.name === 'char' && key.ctrl && key.text === 'n') return clarifyKey(questions, s, { ...key, name: 'down', ctrl: false });
  if (!plainChar(key)) return { state: s };
  if (key.text === ' ') return q.multiSelect ? pick(row) : { state: s };
  if (/^[1-9]$/.test(key.text)) {
    const i = Number(key.text) - 1;
    return i <= other ? pick(i) : { state: s };
  }
  // Anything else typed is the start of a typed answer.
  return startTyping(key.text);
}

/** Pasted text goes into the typed answer (a free-text question, or "Other…"); never into a review. */
export function clarifyPaste(questions: readonly ClarifyQuestion[], s: ClarifyPick, text: string): ClarifyPick {
  if (inReview(questions, s)) return s;
  const q = questions[s.step]!;
  const draft = edit(s.texts[s.step]!, { type: 'insert', text });
  return { ...s, typing: true, rows: set(s.rows, s.step, optionsOf(q).length), texts: set(s.texts, s.step, draft) };
}
