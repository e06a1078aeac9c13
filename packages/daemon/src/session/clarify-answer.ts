import type { ClarifyRequest, ClarifyResponse } from '@hermes/protocol';
import type { RunController } from './run.js';
import type { Session } from './session.js';
import { answeredBy } from './answer-by.js';

export type ClarifyAnswerError = { code: 'not_found' | 'conflict' | 'bad_request'; message: string };

/**
 * `POST /v1/sessions/:id/clarifications/:clarifyId`: the first answer wins; a question already
 * resolved (by another client, a timeout, a cancel, a restart) is a conflict.
 */
export async function answerClarification(
  run: RunController | undefined,
  open: () => Promise<Session>,
  clarifyId: string,
  body: ClarifyRequest,
  client?: { pid: number; program: string },
): Promise<{ ok: true; value: ClarifyResponse } | { ok: false; error: ClarifyAnswerError }> {
  const by = answeredBy(body.by);
  const reason = body.answers ? 'answered' : 'dismissed';
  const r = run?.answerClarification(clarifyId, { answers: body.answers, reason, by, ...(client ? { client } : {}) });
  if (r?.ok) return { ok: true, value: { clarifyId, reason } };
  if (r && r.code === 'bad_request') return { ok: false, error: { code: 'bad_request', message: r.message } };
  // Was it resolved before? Only the session's log knows (it may not be loaded).
  const session = await open();
  if (session.resolvedClarifications.has(clarifyId)) {
    return { ok: false, error: { code: 'conflict', message: `question ${clarifyId} was already answered or dismissed` } };
  }
  return { ok: false, error: { code: 'not_found', message: `no pending question ${clarifyId}` } };
}
