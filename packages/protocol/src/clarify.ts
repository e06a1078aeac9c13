import * as z from 'zod';

/**
 * The `clarify` tool: the model asks the user structured questions. The shape follows Claude
 * Code's `AskUserQuestion` (so models emit it well): 1–4 questions, each with 2–4 options or
 * none (free text); clients always offer "Other…" for a typed answer.
 */
export const MAX_CLARIFY_QUESTIONS = 4;
export const MAX_CLARIFY_OPTIONS = 4;
/** Claude's own headers are ≤ 12 chars; a little slack so a model is not refused for one word. */
export const MAX_CLARIFY_HEADER_CHARS = 16;
/** The longest typed answer (per question) the daemon takes. */
export const MAX_CLARIFY_ANSWER_CHARS = 4000;

export const ClarifyOption = z.strictObject({
  label: z.string().trim().min(1, 'an option needs a label').max(100).describe('The choice as shown, 1-5 words; the answer names it.'),
  description: z.string().max(1000).optional().describe('What this choice means or implies.'),
});
export type ClarifyOption = z.infer<typeof ClarifyOption>;

export const ClarifyQuestion = z.strictObject({
  question: z.string().trim().min(1, 'a question must not be empty').max(2000).describe('The full question, ending with a question mark.'),
  /** A short tag shown above the question ("Database"). */
  header: z
    .string()
    .trim()
    .max(MAX_CLARIFY_HEADER_CHARS, `header: at most ${MAX_CLARIFY_HEADER_CHARS} characters`)
    .optional()
    .describe(`A short tag shown above the question, at most ${MAX_CLARIFY_HEADER_CHARS} characters ("Database").`),
  /** 2–4 choices; none: the user types the answer. */
  options: z
    .array(ClarifyOption)
    .min(2, 'give 2 to 4 options, or none for a free-text question')
    .max(MAX_CLARIFY_OPTIONS, `at most ${MAX_CLARIFY_OPTIONS} options (the user can always type another answer)`)
    .refine((o) => new Set(o.map((x) => x.label)).size === o.length, 'option labels must differ')
    .optional()
    .describe('2-4 choices; leave out for a free-text question. The user can always type another answer.'),
  /** The user may pick several options. */
  multiSelect: z.boolean().optional().describe('Let the user pick several options (default false).'),
});
export type ClarifyQuestion = z.infer<typeof ClarifyQuestion>;

export const ClarifyQuestions = z
  .array(ClarifyQuestion)
  .min(1, 'ask at least one question')
  .max(MAX_CLARIFY_QUESTIONS, `at most ${MAX_CLARIFY_QUESTIONS} questions at once`);

/** The tool's arguments. */
export const ClarifyArgs = z.strictObject({ questions: ClarifyQuestions });
export type ClarifyArgs = z.infer<typeof ClarifyArgs>;

/**
 * One answer per question, in order: the chosen labels (several for multiSelect), or the text
 * the user typed ("Other…" or a free-text question).
 */
export const ClarifyAnswers = z
  .array(
    z
      .array(z.string().trim().min(1, 'an answer must not be empty').max(MAX_CLARIFY_ANSWER_CHARS))
      .min(1)
      .max(MAX_CLARIFY_OPTIONS + 1),
  )
  .min(1)
  .max(MAX_CLARIFY_QUESTIONS);
export type ClarifyAnswers = z.infer<typeof ClarifyAnswers>;

/** How a question ended: answered, dismissed (Esc, `send` without a terminal, a steer), timed out, or its run ended. */
export const ClarifyReason = z.enum(['answered', 'dismissed', 'timeout', 'cancelled']);
export type ClarifyReason = z.infer<typeof ClarifyReason>;

/** What a `clarify` call puts to every attached client: `clarify.requested` adds its id. */
export const ClarifyAsk = z.object({
  toolCallId: z.string(),
  questions: ClarifyQuestions,
});
export type ClarifyAsk = z.infer<typeof ClarifyAsk>;

/** How a question ended (the first answer wins): `clarify.resolved` adds its id. `answers` is null unless `reason` is `answered`. */
export const ClarifyOutcome = z.object({
  answers: ClarifyAnswers.nullable(),
  by: z.string(),
  reason: ClarifyReason,
  /** What the user said instead, when a steer message dismissed the question. */
  note: z.string().optional(),
  /** The timeout that expired, in seconds (reason `timeout`). */
  timeoutSec: z.number().positive().optional(),
  /** What the daemon itself saw of the answering client (its process), beside the client's claim in `by`. */
  client: z.object({ pid: z.number().int().optional(), program: z.string().optional() }).optional(),
});
export type ClarifyOutcome = z.infer<typeof ClarifyOutcome>;

/**
 * Checks answers against the questions they answer: one per question, exactly one entry for a
 * single-choice or free-text question. Returns what is wrong, or null.
 */
export function clarifyAnswersProblem(questions: readonly ClarifyQuestion[], answers: ClarifyAnswers): string | null {
  if (answers.length !== questions.length) {
    return `expected ${questions.length} answer${questions.length === 1 ? '' : 's'} (one per question), got ${answers.length}`;
  }
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const a = answers[i]!;
    const multi = q.multiSelect === true && q.options !== undefined;
    if (!multi && a.length !== 1) return `question ${i + 1} takes one answer, got ${a.length}`;
    if (new Set(a).size !== a.length) return `question ${i + 1}: the same answer twice`;
  }
  return null;
}

/** A `clarify` call's arguments in one line, the daemon's `clarify` summary and every client's: the first question, and how many more. */
export function clarifySummary(raw: unknown): string {
  const qs = Array.isArray(raw)
    ? raw.filter((q): q is { question: string } => typeof (q as { question?: unknown })?.question === 'string')
    : [];
  if (qs.length === 0) return 'a question';
  const first = qs[0]!.question.replace(/\s+/g, ' ').trim();
  return qs.length > 1 ? `${first} (+${qs.length - 1} more)` : first;
}
