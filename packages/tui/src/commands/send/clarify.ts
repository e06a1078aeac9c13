import type { ClarifyAnswers, ClarifyQuestion, EventOf, SessionSummary } from '@hermes/protocol';
import type { DaemonClient } from '../../client/api.js';
import { ApiError } from '../../client/errors.js';
import { CLARIFY_TEXT, clarifyLines, clarifyResultText, parseClarifyInput } from '../../format/clarify.js';
import type { SendOptions } from '../options.js';
import { TtyPrompt } from './approval-prompt.js';
import type { SendOutput } from './output.js';

export { clarifyLines, parseClarifyInput } from '../../format/clarify.js';

/**
 * `send`'s side of `clarify`: asks on /dev/tty when there is one; without one the question is
 * dismissed at once (a script never hangs on it) unless `--clarify wait` lets another client
 * answer; `--clarify dismiss` always dismisses.
 */
export class SendClarify {
  private prompt: TtyPrompt | null | undefined;
  private asking: string | null = null;
  private queue: EventOf<'clarify.requested'>[] = [];

  constructor(
    private readonly client: DaemonClient,
    private readonly session: SessionSummary,
    private readonly opts: Pick<SendOptions, 'clarify'>,
    private readonly output: SendOutput,
    private readonly onInterrupt: () => void,
  ) {}

  requested(e: EventOf<'clarify.requested'>): void {
    for (const l of clarifyLines(e.data.questions)) this.output.line(l);
    const mode = this.opts.clarify ?? 'ask';
    if (mode === 'dismiss') return void this.send(e.data.clarifyId, null);
    if (this.prompt === undefined) this.prompt = TtyPrompt.open();
    if (!this.prompt) {
      if (mode === 'wait') return this.output.line(`  ${CLARIFY_TEXT.sendWaiting}: hermes attach ${this.session.id}`);
      this.output.line(`  ${CLARIFY_TEXT.sendDismissed}`);
      return void this.send(e.data.clarifyId, null);
    }
    this.queue.push(e);
    void this.pump();
  }

  resolved(e: EventOf<'clarify.resolved'>, questions: ClarifyQuestion[] | undefined): void {
    this.queue = this.queue.filter((q) => q.data.clarifyId !== e.data.clarifyId);
    if (this.asking === e.data.clarifyId) this.prompt?.cancel();
    if (questions) for (const l of clarifyResultText({ ...e.data, questions }).split('\n')) this.output.line(`  ${l}`);
  }

  close(): void {
    this.prompt?.close();
    this.prompt = null;
  }

  private async pump(): Promise<void> {
    if (this.asking || !this.prompt) return;
    const next = this.queue.shift();
    if (!next) return;
    const prompt = this.prompt;
    this.asking = next.data.clarifyId;
    // When stderr is not the terminal, the question above did not reach the person answering.
    if (!process.stderr.isTTY) prompt.write(`${clarifyLines(next.data.questions).join('\n')}\n`);
    const answers: ClarifyAnswers = [];
    const qs = next.data.questions;
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i]!;
      if (q.options) prompt.write(`  ${q.multiSelect ? CLARIFY_TEXT.sendChoose(2) : CLARIFY_TEXT.sendSingle}\n`);
      const typed = await prompt.line(`  ${CLARIFY_TEXT.sendPrompt(i + 1, qs.length)}`, this.onInterrupt);
      if (this.asking !== next.data.clarifyId) return; // resolved elsewhere meanwhile
      const a = typed === null ? null : parseClarifyInput(q, typed);
      if (!a) {
        this.asking = null;
        await this.send(next.data.clarifyId, null);
        return void this.pump();
      }
      answers.push(a);
    }
    this.asking = null;
    await this.send(next.data.clarifyId, answers);
    void this.pump();
  }

  private async send(clarifyId: string, answers: ClarifyAnswers | null): Promise<void> {
    try {
      await this.client.answerClarification(this.session.id, clarifyId, { answers, by: 'send' });
    } catch (err) {
      // 409/404: another client answered first (or the run ended); its clarify.resolved tells.
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
      this.output.line(`hermes: could not answer the question: ${(err as Error).message}`);
    }
  }
}
