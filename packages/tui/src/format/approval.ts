import type { ApprovalDecision, PendingApproval } from '@hermes/protocol';
import { PROJECT_APPROVAL_LABELS, widerRuleLabel } from './mcp.js';

/** The answers an approval can get, in the order every client lists them. */
export const DECISIONS: readonly ApprovalDecision[] = ['once', 'session', 'always', 'deny'];

export const DECISION_LABELS: Record<ApprovalDecision, string> = {
  once: 'Allow once',
  session: 'Allow for this session',
  always: 'Always allow',
  deny: 'Deny',
};

/** The loop guard's question is not a permission: its two answers say what they do. */
const LOOP_GUARD_LABELS: Partial<Record<ApprovalDecision, string>> = { once: 'Continue', deny: 'Stop the run' };

/** One answer a client offers: a decision, and for a wider rule the pattern it allows. */
export interface ApprovalChoice {
  decision: ApprovalDecision;
  pattern?: string;
}

type Ask = Pick<PendingApproval, 'choices' | 'patterns' | 'kind'>;

/** What a client lists: the offered decisions, each wider rule (a whole MCP server) after `always`, and deny. */
export function offeredChoices(ask: Ask): ApprovalChoice[] {
  const out: ApprovalChoice[] = [];
  for (const decision of DECISIONS) {
    if (!ask.choices.includes(decision) && decision !== 'deny') continue;
    out.push({ decision });
    if (decision === 'always') for (const pattern of ask.patterns ?? []) out.push({ decision, pattern });
  }
  return out;
}

/** A choice as it reads on the TUI's card, in `send` and in an editor's permission request. */
export function choiceName(choice: ApprovalChoice, kind: Ask['kind']): string {
  if (choice.pattern !== undefined) return widerRuleLabel(choice.pattern, choice.decision);
  const special = kind === 'loop_guard' ? LOOP_GUARD_LABELS : kind === 'mcp_project' ? PROJECT_APPROVAL_LABELS : undefined;
  return special?.[choice.decision] ?? DECISION_LABELS[choice.decision];
}
