import type { ApprovalAnswer, ApprovalAsk, EventDraft } from '@hermes/protocol';
import { newId } from '../util/ids.js';
import { grantedRule } from '../permission/index.js';
import type { Logger } from '../util/log.js';
import { PendingAsks } from './pending.js';
import type { Session } from './session.js';

/** How a steer answers a pending approval (`by: 'steer'`, the steer's text as the reason). */
export function steerAnswer(ask: ApprovalAsk, text: string): ApprovalAnswer {
  return { decision: ask.kind === 'loop_guard' ? 'once' : 'deny', by: 'steer', reason: text };
}

/**
 * A run's approvals: each pending until the first answer from any client, a timeout, a steer
 * or the run's end. `session` and `always` answers add their pattern to the session's rules
 * (`always` also to the config's allowlist, saved before the run goes on); every resolution is logged.
 */
export class RunApprovals {
  private readonly pending = new PendingAsks<ApprovalAsk, ApprovalAnswer>();

  constructor(
    private readonly session: Session,
    private readonly runId: string,
    /** The run's own emit: dropped once the run is closed. */
    private readonly emit: (draft: EventDraft) => Promise<void>,
    private readonly addToAllowlist: (pattern: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** `steer`: the text of a steer message already waiting, which answers the approval as soon as it is asked. */
  async request(
    ask: ApprovalAsk,
    timeoutSec: number | undefined,
    aborted: boolean,
    steer: () => string | undefined,
  ): Promise<ApprovalAnswer> {
    if (aborted) return { decision: 'deny', by: 'cancel', reason: 'the run was cancelled' };
    const approvalId = newId('apr');
    const answer = this.pending.add(approvalId, ask, timeoutSec, () =>
      this.answer(approvalId, { decision: 'deny', by: 'timeout', reason: `no answer within ${timeoutSec} s` }),
    );
    await this.emit({ type: 'approval.requested', data: { approvalId, ...ask } });
    // A steer waiting for the next boundary answers every approval asked before it is taken.
    const text = steer();
    if (text !== undefined) this.answer(approvalId, steerAnswer(ask, text));
    return answer;
  }

  /** What a pending approval asks, if it is still pending. */
  ask(approvalId: string): ApprovalAsk | undefined {
    return this.pending.ask(approvalId);
  }

  /** The first answer wins; returns false when the approval is not pending (any more). */
  answer(approvalId: string, answer: ApprovalAnswer): boolean {
    const pending = this.pending.take(approvalId);
    if (!pending) return false;
    this.session.resolvedApprovals.add(approvalId);
    const { decision } = answer;
    const granted = grantedRule(pending.ask, answer);
    const rule = granted.ok ? granted.rule : undefined;
    if (decision === 'session' && rule) this.session.sessionRules.add(rule);
    let saved: Promise<void> = Promise.resolve();
    if (decision === 'always' && rule) {
      this.session.sessionRules.add(rule);
      // The run goes on once the rule is saved, so the allowlist is never behind what it did.
      saved = this.addToAllowlist(rule).catch((err: unknown) =>
        this.log('error', 'could not save an allowlist entry', { error: String(err) }),
      );
    }
    // Straight to the log (not the run's emit): a run being closed still records how its approvals ended.
    void this.session.append([{ type: 'approval.resolved', runId: this.runId, data: { approvalId, ...answer } }]).catch(() => {});
    void saved.then(() => pending.resolve(answer));
    return true;
  }

  /** A steer arrived: every pending approval is answered with its text (see `steerAnswer`). */
  steered(text: string): void {
    for (const id of this.pending.ids()) {
      const ask = this.pending.ask(id);
      if (ask) this.answer(id, steerAnswer(ask, text));
    }
  }

  /** Denies every pending approval (cancel, shutdown, the run's end). */
  denyAll(by: string): void {
    for (const id of this.pending.ids()) this.answer(id, { decision: 'deny', by, reason: `denied: ${by}` });
  }
}
