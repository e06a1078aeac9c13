import type { ApprovalDecision, EventOf, SessionSummary } from '@hermes/protocol';
import { Chalk } from 'chalk';
import type { DaemonClient } from '../../client/api.js';
import { ApiError } from '../../client/errors.js';
import type { SendOptions } from '../options.js';
import { offeredChoices } from '../../format/approval.js';
import { choicesLabel, TtyPrompt } from './approval-prompt.js';
import type { SendOutput } from './output.js';
import { approvalRequestedLines, approvalResolvedLine } from './render.js';

/**
 * `send`'s side of approvals: `--approve yes|deny` answers at once; `ask` prompts on /dev/tty
 * one at a time (or, without a terminal, waits for another client); `--approval-timeout`
 * denies what nobody answered, as a timeout.
 */
export class SendApprovals {
  private prompt: TtyPrompt | null | undefined;
  private queue: EventOf<'approval.requested'>[] = [];
  private prompting: string | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly client: DaemonClient,
    private readonly session: SessionSummary,
    private readonly opts: Pick<SendOptions, 'approve' | 'approvalTimeout'>,
    private readonly output: SendOutput,
    /** Ctrl-C at the prompt. */
    private readonly onInterrupt: () => void,
  ) {}

  requested(e: EventOf<'approval.requested'>): void {
    for (const l of approvalRequestedLines(this.output.err, e)) this.output.line(l);
    const mode = this.opts.approve;
    if (mode === 'yes') return void this.answer(e.data.approvalId, 'once');
    if (mode === 'deny') return void this.answer(e.data.approvalId, 'deny', '--approve deny');
    const timeout = this.opts.approvalTimeout;
    if (timeout !== undefined) {
      this.timers.set(
        e.data.approvalId,
        setTimeout(() => void this.answer(e.data.approvalId, 'deny', `no answer within ${timeout} s`, 'timeout'), timeout * 1000),
      );
    }
    if (this.prompt === undefined) this.prompt = TtyPrompt.open();
    if (!this.prompt) {
      const after = timeout !== undefined ? ` (denied in ${timeout} s without an answer)` : '';
      this.output.line(`  waiting for another client to answer: hermes attach ${this.session.id}${after}`);
      return;
    }
    this.queue.push(e);
    void this.pump();
  }

  resolved(e: EventOf<'approval.resolved'>): void {
    const id = e.data.approvalId;
    this.clearTimer(id);
    this.queue = this.queue.filter((q) => q.data.approvalId !== id);
    if (this.prompting === id) this.prompt?.cancel();
    this.output.line(approvalResolvedLine(this.output.err, e));
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.prompt?.close();
    this.prompt = null;
  }

  private clearTimer(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private async pump(): Promise<void> {
    if (this.prompting || !this.prompt) return;
    const next = this.queue.shift();
    if (!next) return;
    const prompt = this.prompt;
    this.prompting = next.data.approvalId;
    // When stderr is not the terminal, the summary above did not reach the person answering.
    if (!process.stderr.isTTY) prompt.write(`${approvalRequestedLines(new Chalk({ level: 0 }), next).join('\n')}\n`);
    const choices = offeredChoices(next.data);
    const choice = await prompt.ask(`  allow? ${choicesLabel(choices)} › `, choices, this.onInterrupt);
    this.prompting = null;
    if (choice) await this.answer(next.data.approvalId, choice.decision, undefined, 'send', choice.pattern);
    void this.pump();
  }

  /** `by`: `send`, or `timeout` when --approval-timeout ran out (the model is told it timed out). */
  private async answer(approvalId: string, decision: ApprovalDecision, reason?: string, by = 'send', pattern?: string): Promise<void> {
    this.clearTimer(approvalId);
    try {
      const rule = pattern !== undefined ? { pattern } : {};
      await this.client.answerApproval(this.session.id, approvalId, { decision, by, ...(reason ? { reason } : {}), ...rule });
    } catch (err) {
      // 409/404: another client answered first (or the run ended); its approval.resolved tells.
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
      this.output.line(`hermes: could not answer the approval: ${(err as Error).message}`);
    }
  }
}
