import type { ApprovalDecision } from '@hermes/protocol';
import type { Key } from './parse.js';

export const DECISIONS: readonly ApprovalDecision[] = ['once', 'session', 'always', 'deny'];

export const DECISION_LABELS: Record<ApprovalDecision, string> = {
  once: 'Allow once',
  session: 'Allow for this session',
  always: 'Always allow',
  deny: 'Deny',
};
export const DECISION_KEYS: Record<ApprovalDecision, string> = { once: 'o', session: 's', always: 'a', deny: 'd' };

/** The prompt's selection: null until an arrow moved it, so a stray Enter approves nothing. */
export type ApprovalSelection = number | null;

export type ApprovalKeyResult = { selection: ApprovalSelection; decision?: ApprovalDecision };

/**
 * Keys of the approval prompt: o/s/a/d or 1–4 answer at once; arrows move; Enter answers only
 * once an arrow has chosen; Esc denies. Choices the daemon did not offer are skipped.
 */
export function approvalKey(choices: readonly ApprovalDecision[], selection: ApprovalSelection, key: Key): ApprovalKeyResult {
  const offered = DECISIONS.filter((d) => choices.includes(d) || d === 'deny');
  if (key.name === 'escape') return { selection, decision: 'deny' };
  if (key.name === 'up' || key.name === 'down' || key.name === 'left' || key.name === 'right' || key.name === 'tab') {
    const step = key.name === 'up' || key.name === 'left' ? -1 : 1;
    const next = selection === null ? (step > 0 ? 0 : offered.length - 1) : (selection + step + offered.length) % offered.length;
    return { selection: next };
  }
  if (key.name === 'enter') {
    return selection === null ? { selection } : { selection, decision: offered[selection]! };
  }
  if (key.name === 'char' && !key.ctrl && !key.meta && key.text.length === 1) {
    const ch = key.text.toLowerCase();
    const byNumber = /^[1-4]$/.test(ch) ? offered[Number(ch) - 1] : undefined;
    const byLetter = offered.find((d) => DECISION_KEYS[d] === ch);
    const decision = byNumber ?? byLetter;
    if (decision) return { selection: offered.indexOf(decision), decision };
  }
  return { selection };
}

export function offeredChoices(choices: readonly ApprovalDecision[]): ApprovalDecision[] {
  return DECISIONS.filter((d) => choices.includes(d) || d === 'deny');
}
