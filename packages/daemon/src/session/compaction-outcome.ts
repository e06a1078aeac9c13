import type { CompactResponse } from '@hermes/protocol';
import type { Result } from './result.js';
import type { Session } from './session.js';

/** What `POST …/compact` answers once the compaction's run ended, read from the transcript. */
export function compactionOutcome(session: Session, runId: string): Result<CompactResponse> {
  const item = session.transcript.items.findLast((i) => i.kind === 'compaction' && i.runId === runId);
  if (!item || item.kind !== 'compaction') {
    const end = session.transcript.items.findLast((i) => i.kind === 'run_end' && i.runId === runId);
    const message = end?.kind === 'run_end' && end.error ? end.error.message : 'the compaction did not start';
    return { ok: false, error: { code: 'bad_request', message } };
  }
  return {
    ok: true,
    value: {
      compactionId: item.compactionId,
      runId,
      status: item.status === 'completed' ? 'completed' : 'failed',
      tokensBefore: item.tokensBefore,
      ...(item.tokensAfter !== undefined ? { tokensAfter: item.tokensAfter } : {}),
      ...(item.error
        ? { error: { kind: String(item.error.kind), message: item.error.message, ...(item.error.hint ? { hint: item.error.hint } : {}) } }
        : {}),
    },
  };
}
