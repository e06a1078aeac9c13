import { ClarifyArgs, MAX_CLARIFY_QUESTIONS, clarifySummary, type ClarifyOutcome, type ClarifyQuestion } from '@hermes/protocol';
import { jsonSchemaOf } from './common.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

/** What the model is told when nobody answered, whatever the reason. */
export const NOT_ANSWERED = 'Continue with your best judgement, and state the assumption you made in your reply.';

/** The tool result for a question's outcome: the answers, or why there are none and what to do. */
export function clarifyResult(questions: readonly ClarifyQuestion[], o: ClarifyOutcome): ToolResult {
  if (o.reason === 'answered' && o.answers) {
    const lines = questions.map(
      (q, i) => `${JSON.stringify(q.question)} = ${(o.answers![i] ?? []).map((a) => JSON.stringify(a)).join(', ')}`,
    );
    return { ok: true, result: `The user answered:\n${lines.join('\n')}` };
  }
  if (o.reason === 'cancelled') return { ok: false, result: `The question was not answered: the run was stopped (${o.by}).` };
  if (o.note !== undefined) {
    return {
      ok: true,
      result: `The user did not answer the question and said instead: ${JSON.stringify(o.note)}\nFollow that. ${NOT_ANSWERED}`,
    };
  }
  const why = o.reason === 'timeout' ? `no answer came within ${o.timeoutSec ?? '?'} s` : 'the user dismissed the question';
  return { ok: true, result: `The user did not answer (${why}). ${NOT_ANSWERED}` };
}

async function run(args: ClarifyArgs, ctx: ToolContext): Promise<ToolResult> {
  if (!ctx.clarify) return { ok: false, result: `Nobody can be asked here. ${NOT_ANSWERED}` };
  const outcome = await ctx.clarify(args.questions);
  return clarifyResult(args.questions, outcome);
}

/** `clarify`: ask the user structured questions (Claude Code's `AskUserQuestion` shape) and wait for the answer. */
export const clarifyTool: Tool<typeof ClarifyArgs> = {
  name: 'clarify',
  description:
    `Ask the user 1-${MAX_CLARIFY_QUESTIONS} questions and wait for the answers. Use it when a choice really is the user's ` +
    '(requirements, preferences, a trade-off) and guessing wrong would waste work; not for things you can find out yourself. ' +
    'Give 2-4 options per question (put a recommended one first and end its label with " (Recommended)"), or none for a ' +
    'free-text answer; the user can always type their own answer. The result has the answers; if the user does not answer, ' +
    'go on with your best judgement and say what you assumed.',
  parameters: jsonSchemaOf(ClarifyArgs),
  // Asks no approval (it changes nothing) and only waits for the user.
  readOnly: true,
  argsSchema: ClarifyArgs,
  summarize: (args) => clarifySummary(args.questions),
  execute: run,
};
