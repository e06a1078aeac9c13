import { clarifyAnswersProblem, type ClarifyAsk, type ClarifyOutcome, type EventDraft } from '@hermes/protocol';
import { newId } from '../util/ids.js';
import { PendingAsks } from './pending.js';
import type { Session } from './session.js';

export type ClarifyAnswerResult = { ok: true } | { ok: false; code: 'not_pending' } | { ok: false; code: 'bad_request'; message: string };

/**
 * A run's `clarify` questions: the same life cycle as its approvals (pending until the first
 * answer from any client, a timeout, a dismissal or the run's end; every resolution logged).
 */
export class RunClarifications {
  private readonly pending = new PendingAsks<ClarifyAsk, ClarifyOutcome>();

  constructor(
    private readonly session: Session,
    private readonly runId: string,
    /** The run's own emit: dropped once the run is closed. */
    private readonly emit: (draft: EventDraft) => Promise<void>,
  ) {}

  /** `steer`: the text of a steer message already waiting, which dismisses the question as soon as it is asked. */
  async request(
    ask: ClarifyAsk,
    timeoutSec: number | undefined,
    aborted: boolean,
    steer?: () => string | undefined,
  ): Promise<ClarifyOutcome> {
    if (aborted) return { answers: null, reason: 'cancelled', by: 'cancel' };
    const clarifyId = newId('clr');
    const outcome = this.pending.add(clarifyId, ask, timeoutSec, () => {
      this.resolve(clarifyId, { answers: null, reason: 'timeout', by: 'timeout', ...(timeoutSec ? { timeoutSec } : {}) });
    });
    await this.emit({ type: 'clarify.requested', data: { clarifyId, toolCallId: ask.toolCallId, questions: ask.questions } });
    const note = steer?.();
    if (note !== undefined) this.resolve(clarifyId, { answers: null, reason: 'dismissed', by: 'steer', note });
    return outcome;
  }

  /** A client's answer (or dismissal, `answers: null`): checked against the questions; the first one wins. */
  answer(clarifyId: string, outcome: ClarifyOutcome): ClarifyAnswerResult {
    const ask = this.pending.ask(clarifyId);
    if (!ask) return { ok: false, code: 'not_pending' };
    if (outcome.answers) {
      const problem = clarifyAnswersProblem(ask.questions, outcome.answers);
      if (problem) return { ok: false, code: 'bad_request', message: problem };
    }
    return this.resolve(clarifyId, outcome) ? { ok: true } : { ok: false, code: 'not_pending' };
  }

  /** Resolves every pending question the same way (cancel, shutdown, the run's end, a steer); returns how many. */
  resolveAll(outcome: Omit<ClarifyOutcome, 'answers'>): number {
    let n = 0;
    for (const id of this.pending.ids()) if (this.resolve(id, { ...outcome, answers: null })) n++;
    return n;
  }

  get size(): number {
    return this.pending.ids().length;
  }

  private resolve(clarifyId: string, outcome: ClarifyOutcome): boolean {
    const entry = this.pending.take(clarifyId);
    if (!entry) return false;
    // Known at once, before the event is written: a late answer gets 409.
    this.session.resolvedClarifications.add(clarifyId);
    const { answers, reason, by, note, client } = outcome;
    // Straight to the log (not the run's emit): a run being closed still records how its questions ended.
    void this.session
      .append([
        {
          type: 'clarify.resolved',
          runId: this.runId,
          data: {
            clarifyId,
            answers: reason === 'answered' ? answers : null,
            by,
            reason,
            ...(note !== undefined ? { note } : {}),
            ...(client ? { client } : {}),
          },
        },
      ])
      .catch(() => {});
    entry.resolve(outcome);
    return true;
  }
}
