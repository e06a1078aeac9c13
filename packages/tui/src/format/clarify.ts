import type { ClarifyItem, ClarifyQuestion, ClarifyReason } from '@hermes/protocol';

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
  const why = item.note !== undefined ? `not answered: the user said instead "${item.note}"` : `${REASON_TEXT[item.reason as Exclude<ClarifyReason, 'answered'>]}, by ${item.by}`;
  return `${item.questions.map(questionHeading).join('\n')}\n${why}`;
}
