import type { ClarifyItem, ClarifyQuestion, ClarifyReason } from '@hermes/protocol';

/** Every user-facing wording of `clarify` questions, for the TUI, `attach`, `send` and `sessions show`. */
export const CLARIFY_TEXT = {
  other: 'Other…',
  otherPlaceholder: 'type your answer',
  recommended: ' (Recommended)',
  title: (n: number) => (n === 1 ? 'The agent asks' : `The agent asks ${n} questions`),
  /** The picker's key line: options by arrows or number; several questions step with Tab. */
  keysSingle: (max: number, several: boolean) => `↑↓ or 1-${max} choose · Enter confirm${several ? ' · Tab next' : ''} · Esc dismiss`,
  keysMulti: (several: boolean) => `↑↓ move · Space toggle · Enter confirm${several ? ' · Tab next' : ''} · Esc dismiss`,
  keysText: (several: boolean) => `Enter ${several ? 'confirm' : 'send'} · ↑ or Esc back to the options`,
  keysFree: (several: boolean) => `Enter ${several ? 'confirm' : 'send'}${several ? ' · Tab next' : ''} · Esc dismiss`,
  keysReview: 'Enter submit · ↑↓ choose · Shift+Tab back · Esc dismiss',
  pickOne: 'pick at least one (Space), or choose Other…',
  typeFirst: 'type an answer first, or Esc to dismiss',
  unanswered: (n: number) => `question ${n} has no answer yet`,
  alreadyAnswered: 'this question was already answered',
  /** The tab of a question without a header. */
  tab: (i: number) => `Q${i + 1}`,
  tabSubmit: 'Submit',
  review: 'Review your answers',
  submit: 'Submit answers',
  noAnswer: '(no answer yet)',
  moreAbove: (n: number) => `↑ ${n} more`,
  moreBelow: (n: number) => `↓ ${n} more`,
  sendPrompt: (n: number, count: number) => (count > 1 ? `answer ${n}/${count}> ` : 'answer> '),
  sendChoose: (count: number) => `number${count > 1 ? 's' : ''} (comma separated), or type an answer; empty line dismisses`,
  sendSingle: 'a number, or type an answer; empty line dismisses',
  sendDismissed: 'question dismissed: no terminal to ask on (use --clarify wait to let another client answer)',
  sendWaiting: 'waiting for another client to answer (--clarify wait)',
} as const;

const REASON_TEXT: Record<Exclude<ClarifyReason, 'answered'>, string> = {
  dismissed: 'not answered (dismissed)',
  timeout: 'not answered (timed out)',
  cancelled: 'not answered (run stopped)',
};

/** `Database · Which database?` (the header, when there is one, then the question). */
export function questionHeading(q: ClarifyQuestion): string {
  return q.header ? `${q.header} · ${q.question}` : q.question;
}

/** A recommended option (label ending " (Recommended)"), to highlight. */
export function isRecommended(label: string): boolean {
  return label.endsWith(CLARIFY_TEXT.recommended);
}

/** How a resolved question reads in the transcript: one line per question with its answer. */
export function clarifyResultText(item: Pick<ClarifyItem, 'questions' | 'answers' | 'reason' | 'by' | 'note'>): string {
  if (item.reason === 'answered' && item.answers) {
    return item.questions.map((q, i) => `${questionHeading(q)} → ${(item.answers![i] ?? []).join(', ')}`).join('\n');
  }
  const why =
    item.note !== undefined
      ? `not answered: the user said instead "${item.note}"`
      : `${REASON_TEXT[item.reason as Exclude<ClarifyReason, 'answered'>]}, by ${item.by}`;
  return `${item.questions.map(questionHeading).join('\n')}\n${why}`;
}

/**
 * What the user typed for one question: option numbers (`2`, or `1,3` for multiSelect) pick
 * labels, anything else is a typed answer; an empty line is null (dismiss).
 */
export function parseClarifyInput(q: ClarifyQuestion, input: string): string[] | null {
  const text = input.trim();
  if (!text) return null;
  const options = q.options ?? [];
  const parts = text.split(/\s*,\s*/);
  const numbers = parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : null;
  if (numbers && options.length > 0 && numbers.every((n) => n >= 1 && n <= options.length)) {
    const picked = [...new Set(numbers)].map((n) => options[n - 1]!.label);
    if (q.multiSelect || picked.length === 1) return q.multiSelect ? picked : [picked[0]!];
  }
  return [text];
}

/** The lines that show a question on stderr (options numbered). */
export function clarifyLines(questions: readonly ClarifyQuestion[]): string[] {
  const lines = [`? ${CLARIFY_TEXT.title(questions.length)}:`];
  questions.forEach((q, i) => {
    lines.push(`  ${questions.length > 1 ? `${i + 1}. ` : ''}${questionHeading(q)}`);
    (q.options ?? []).forEach((o, j) => lines.push(`     ${j + 1}) ${o.label}${o.description ? ` — ${o.description}` : ''}`));
  });
  return lines;
}

export { clarifySummary as clarifyArgsSummary } from '@hermes/protocol';
