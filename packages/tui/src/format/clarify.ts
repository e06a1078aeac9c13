import type { ClarifyAnswers, ClarifyItem, ClarifyQuestion, ClarifyReason } from '@hermes/protocol';

/** Every user-facing wording of `clarify` questions, for the TUI, `attach`, `send` and `sessions show`. */
export const CLARIFY_TEXT = {
  other: 'Other…',
  otherPlaceholder: 'type your answer',
  freePlaceholder: 'type your answer, Enter to send',
  recommended: ' (Recommended)',
  title: (n: number) => (n === 1 ? 'The agent asks' : `The agent asks ${n} questions`),
  keysSingle: '↑↓ or 1-9 choose · Enter confirm · Esc dismiss',
  keysMulti: '↑↓ move · Space toggle · Enter confirm · Esc dismiss',
  keysText: 'Enter send · Esc back',
  keysFree: 'Enter send · Esc dismiss',
  pickOne: 'pick at least one (Space), or choose Other…',
  sendPrompt: (n: number, count: number) => (count > 1 ? `answer ${n}/${count}> ` : 'answer> '),
  sendChoose: (count: number) => `number${count > 1 ? 's' : ''} (comma separated), or type an answer; empty line dismisses`,
  sendSingle: 'a number, or type an answer; empty line dismisses',
  sendDismissed: 'question dismissed: no terminal to ask on (use --clarify wait to let another client answer)',
  tuiPlaceholder: (count: number) =>
    count > 1
      ? 'answer each question, separated by ; (a number picks an option) · Enter sends · Esc dismisses'
      : 'a number picks an option, or type an answer · Enter sends · Esc dismisses',
  tuiCount: (count: number) => `give ${count} answers separated by ;`,
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

/**
 * The TUI's one-line answer to all pending questions: with several, answers are separated by `;`.
 * `null` = dismiss (empty); a string = what is wrong (the count does not match).
 */
export function parseClarifyLine(questions: readonly ClarifyQuestion[], input: string): ClarifyAnswers | null | string {
  if (!input.trim()) return null;
  const parts = questions.length > 1 ? input.split(';') : [input];
  if (parts.length !== questions.length) return CLARIFY_TEXT.tuiCount(questions.length);
  const answers: string[][] = [];
  for (let i = 0; i < questions.length; i++) {
    const a = parseClarifyInput(questions[i]!, parts[i]!);
    if (!a) return CLARIFY_TEXT.tuiCount(questions.length);
    answers.push(a);
  }
  return answers;
}

export { clarifySummary as clarifyArgsSummary } from '@hermes/protocol';
