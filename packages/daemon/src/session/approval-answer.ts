import type { AnswerApprovalRequest, ApprovalAnswer, ApprovalResponse } from '@hermes/protocol';
import { grantedRule } from '../permission/index.js';
import { answeredBy } from './answer-by.js';
import { fail, ok, type Result } from './result.js';
import type { RunController } from './run.js';
import type { Session } from './session.js';

/**
 * `POST /v1/sessions/:id/approvals/:approvalId`: the first answer wins; the rule a `session` or
 * `always` answer grants must be one the ask offered; an approval already resolved (by another
 * client, a timeout, a cancel, a restart) is a conflict.
 */
export async function answerApproval(
  run: RunController | undefined,
  open: () => Promise<Session>,
  approvalId: string,
  answer: AnswerApprovalRequest,
  client?: ApprovalAnswer['client'],
): Promise<Result<ApprovalResponse>> {
  const ask = run?.pendingApproval(approvalId);
  if (ask) {
    const granted = grantedRule(ask, answer);
    if (!granted.ok) return fail('bad_request', granted.message);
  }
  const taken = run?.answer(approvalId, {
    decision: answer.decision,
    by: answeredBy(answer.by),
    ...(client ? { client } : {}),
    ...(answer.reason !== undefined ? { reason: answer.reason } : {}),
    ...(answer.pattern !== undefined ? { pattern: answer.pattern } : {}),
  });
  if (taken) return ok({ approvalId, decision: answer.decision });
  // Was it answered before? Only the session's log knows (it may not be loaded).
  const session = await open();
  if (session.resolvedApprovals.has(approvalId)) return fail('conflict', `approval ${approvalId} was already answered`);
  return fail('not_found', `no pending approval ${approvalId}`);
}
