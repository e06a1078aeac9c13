import type { Delivery, EventOf, HermesEvent, PostMessageResponse, SessionSummary } from '@hermes/protocol';
import { DaemonClient } from '../../client/api.js';
import { ensureDaemon } from '../../client/autostart.js';
import { ApiError, DaemonUnavailableError } from '../../client/errors.js';
import { SessionEventStream, type StreamStatus } from '../../client/event-stream.js';
import type { SendOptions } from '../options.js';
import { SEND_STEER_TAKEN, sendWaitingNote } from '../../format/delivery.js';
import { runEndText } from '../../format/run-end.js';
import { SendApprovals } from './approvals.js';
import { SendClarify } from './clarify.js';
import { EXIT, exitCodeOf, RunFollower, type RunOutcome } from './follow.js';
import { SendOutput } from './output.js';
import { runErrorLines } from './render.js';
import { initialStop, interrupted, stopAction, withdrawing, withdrawRefused, type StopState } from './stop.js';

/** Give up on a daemon that stays unreachable this long in the middle of a run (exit 4). */
const LOST_DAEMON_MS = 30_000;

/** After a `^C` echoed on a terminal, start on a fresh line. */
const nl = () => (process.stderr.isTTY ? '\n' : '');

type Settled = { outcome: RunOutcome } | { code: number } | { error: unknown };

/** One `send` from the POST to the run's end: the stream, its output, approvals, Ctrl-C and the exit code. */
export class SendRun {
  private readonly follower: RunFollower;
  private readonly output: SendOutput;
  private readonly approvals: SendApprovals;
  private readonly clarify: SendClarify;
  /** The questions of each `clarify.requested` seen, for printing the answer. */
  private readonly asked = new Map<string, EventOf<'clarify.requested'>['data']['questions']>();
  private stream: SessionEventStream | null = null;
  private stop: StopState = initialStop;
  private queuedNoted = false;
  private lostTimer: NodeJS.Timeout | undefined;
  private settle!: (r: Settled) => void;

  constructor(
    private readonly home: string,
    private readonly client: DaemonClient,
    private readonly session: SessionSummary,
    requestId: string,
    private readonly opts: SendOptions,
  ) {
    this.follower = new RunFollower(requestId);
    this.output = new SendOutput(opts);
    this.approvals = new SendApprovals(client, session, opts, this.output, () => this.interrupt());
    this.clarify = new SendClarify(client, session, opts, this.output, () => this.interrupt());
  }

  async run(post: () => Promise<PostMessageResponse>): Promise<number> {
    const finished = new Promise<Settled>((resolve) => (this.settle = resolve));
    const onSigint = () => this.interrupt();
    process.on('SIGINT', onSigint);
    process.stdout.on('error', this.output.onStdoutError);
    // Open the stream at the session's current end before posting: nothing of the run is missed.
    this.stream = new SessionEventStream(
      this.client,
      this.session.id,
      {
        onEvent: (e) => this.onEvent(e),
        onStatus: (s, detail) => this.onStatus(s, detail),
        onGone: (detail) => this.settle({ error: new Error(detail) }),
        onStorageError: (f) => this.settle({ error: new Error(`${f.message}${f.hint ? ` ${f.hint}` : ''}`) }),
      },
      { after: this.session.lastSeq, reconnect: async () => new DaemonClient(await ensureDaemon(this.home)) },
    );
    try {
      post().then(
        (res) => {
          this.follower.accepted(res);
          if (this.follower.queued) this.noteQueued(res.disposition === 'steering' ? 'steer' : undefined);
          this.maybeStop();
        },
        (error: unknown) => this.settle({ error }),
      );
      const result = await finished;
      if ('error' in result) throw result.error;
      if ('code' in result) return result.code;
      return this.finish(result.outcome);
    } finally {
      process.off('SIGINT', onSigint);
      this.cleanup();
    }
  }

  private cleanup(): void {
    clearTimeout(this.lostTimer);
    this.approvals.close();
    this.clarify.close();
    this.stream?.close();
  }

  private onStatus(status: StreamStatus, detail?: string): void {
    if (status === 'live') {
      clearTimeout(this.lostTimer);
      this.lostTimer = undefined;
    } else if (status === 'reconnecting' && !this.lostTimer) {
      if (this.output.human)
        this.output.line(this.output.err.dim(`hermes: lost the daemon (${detail ?? 'connection closed'}); reconnecting…`));
      this.lostTimer = setTimeout(() => {
        this.settle({
          error: new DaemonUnavailableError(
            `lost the connection to the hermes daemon for ${LOST_DAEMON_MS / 1000} s`,
            `the run may still be going: hermes attach ${this.session.id}`,
          ),
        });
      }, LOST_DAEMON_MS);
    }
  }

  private onEvent(e: HermesEvent): void {
    if (!this.follower.take(e)) return;
    this.output.event(e);
    switch (e.type) {
      case 'message.queued':
        this.noteQueued(e.data.delivery);
        break;
      case 'message.user':
        if (e.data.delivery === 'steer' && e.runId) {
          if (this.queuedNoted && this.output.human) this.output.line(this.output.err.dim(SEND_STEER_TAKEN));
          this.maybeStop();
        }
        break;
      case 'run.started':
        this.maybeStop();
        break;
      case 'approval.requested':
        this.approvals.requested(e);
        break;
      case 'approval.resolved':
        this.approvals.resolved(e);
        break;
      case 'clarify.requested':
        this.asked.set(e.data.clarifyId, e.data.questions);
        this.clarify.requested(e);
        break;
      case 'clarify.resolved':
        this.clarify.resolved(e, this.asked.get(e.data.clarifyId));
        break;
      default:
        break;
    }
    if (this.follower.outcome) this.settle({ outcome: this.follower.outcome });
  }

  private noteQueued(delivery: Delivery | undefined): void {
    if (this.queuedNoted) return;
    this.queuedNoted = true;
    this.output.line(this.output.err.dim(sendWaitingNote(delivery)));
  }

  // ── Ctrl-C ─────────────────────────────────────────────────────────────────
  private interrupt(): void {
    const { state, quit } = interrupted(this.stop);
    this.stop = state;
    if (quit) {
      this.cleanup();
      process.stderr.write('\n');
      process.exit(EXIT.interrupted);
    }
    const what = withdrawing(this.follower) ? 'withdrawing the queued message' : 'cancelling';
    this.output.line(`${nl()}${this.output.err.yellow(`${what}… (Ctrl-C again to quit at once)`)}`);
    this.maybeStop();
  }

  /** Sends the cancel or the withdrawal a Ctrl-C asked for, once what to stop is known. */
  private maybeStop(): void {
    const { state, action } = stopAction(this.stop, this.follower);
    this.stop = state;
    if (action.kind === 'cancel') {
      this.client.cancel(this.session.id).catch((err: unknown) => {
        this.output.line(`hermes: could not cancel: ${(err as Error).message}`);
        this.settle({ code: EXIT.interrupted });
      });
    } else if (action.kind === 'withdraw') {
      this.client.withdrawMessage(this.session.id, action.messageId, 'send').catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 409) {
          this.stop = withdrawRefused(this.stop);
          this.maybeStop();
          return;
        }
        this.output.line(`hermes: could not withdraw the message: ${(err as Error).message}`);
        this.settle({ code: EXIT.interrupted });
      });
    }
  }

  // ── the end ────────────────────────────────────────────────────────────────
  private finish(outcome: RunOutcome): number {
    this.output.end(outcome.finalText);
    const byUs = this.stop.interrupts > 0;
    const code = exitCodeOf(outcome, byUs);
    const line = (l: string) => this.output.line(l);
    switch (outcome.stopReason) {
      case 'done':
        break;
      case 'cancelled':
        if (outcome.withdrawnBy === 'send' && byUs) line('hermes: withdrew the queued message; it will not run');
        else if (outcome.withdrawnBy) line(`hermes: the queued message was withdrawn (by ${outcome.withdrawnBy}); it will not run`);
        else line(byUs ? 'hermes: cancelled' : 'hermes: the run was cancelled (by another client)');
        break;
      case 'max_iterations':
      case 'error':
      case 'interrupted':
        for (const l of runErrorLines(outcome.error, runEndText(outcome.stopReason))) line(l);
        break;
    }
    if (code === EXIT.denied) line('hermes: an approval was denied; the work may be incomplete (exit 3)');
    line(this.output.err.dim(`session ${this.session.id}  (continue: hermes send -s ${this.session.id} …)`));
    return code;
  }
}
