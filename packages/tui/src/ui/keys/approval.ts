import type { ApprovalDecision, PendingApproval } from '@hermes/protocol';
import { offeredChoices, type ApprovalChoice } from '../../format/approval.js';
import type { Key } from './parse.js';

export const DECISION_KEYS: Record<ApprovalDecision, string> = { once: 'o', session: 's', always: 'a', deny: 'd' };
/** The key of the first wider rule (`always` for a whole MCP server). */
export const WIDER_KEY = 'e';

/** The prompt's selection: null until an arrow moved it, so a stray Enter approves nothing. */
export type ApprovalSelection = number | null;

export type ApprovalKeyResult = { selection: ApprovalSelection; choice?: ApprovalChoice };

/**
 * Keys of the approval prompt: o/s/a/(e)/d or the choice's number answer at once; arrows move;
 * Enter answers only once an arrow has chosen; Esc denies. Choices the daemon did not offer are
 * skipped.
 */
export function approvalKey(ask: Pick<PendingApproval, 'choices' | 'patterns'>, selection: ApprovalSelection, key: Key): ApprovalKeyResult {
  const offered = offeredChoices(ask);
  if (key.name === 'escape') return { selection, choice: { decision: 'deny' } };
  if (key.name === 'up' || key.name === 'down' || key.name === 'left' || key.name === 'right' || key.name === 'tab') {
    const step = key.name === 'up' || key.name === 'left' ? -1 : 1;
    const next = selection === null ? (step > 0 ? 0 : offered.length - 1) : (selection + step + offered.length) % offered.length;
    return { selection: next };
  }
  if (key.name === 'enter') {
    return selection === null ? { selection } : { selection, choice: offered[selection]! };
  }
  if (key.name === 'char' && !key.ctrl && !key.meta && key.text.length === 1) {
    const ch = key.text.toLowerCase();
    const index = /^[1-9]$/.test(ch) ? Number(ch) - 1 : offered.findIndex((c) => choiceKey(c, offered) === ch);
    const choice = offered[index];
    if (choice) return { selection: index, choice };
  }
  return { selection };
}

/** Its letter: the decision's, `e` for the first wider rule, none for further ones. */
export function choiceKey(choice: ApprovalChoice, offered: readonly ApprovalChoice[]): string | undefined {
  if (choice.pattern === undefined) return DECISION_KEYS[choice.decision];
  return offered.find((c) => c.pattern !== undefined) === choice ? WIDER_KEY : undefined;
}
