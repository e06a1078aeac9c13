import type { EventOf, HermesEvent, PostMessageResponse, RunError, StopReason } from '@hermes/protocol';

/** `hermes send`'s exit codes (the contract of issue 4). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  denied: 3,
  noDaemon: 4,
  interrupted: 130,
} as const;

/** Who denies on the run's behalf when it stops: those denials are a consequence, not a decision. */
const SYSTEM_DENIERS = new Set(['cancel', 'shutdown', 'run ended', 'steer']);

export interface RunOutcome {
  stopReason: StopReason;
  error?: RunError;
  /** An approval of this run was denied by someone (a client, the timeout), not by the run stopping. */
  denied: boolean;
  /** The text of the last assistant message of the run. */
  finalText: string;
  /** Set when the message was withdrawn from the queue before it ran: who withdrew it. */
  withdrawnBy?: string;
}

/**
 * Follows one message through a session's event stream: its `message.queued`/`message.user`
 * (found by the client's requestId, which may arrive before the POST's answer), the run that
 * `run.started` names for it, and that run's events up to `run.completed`.
 */
export class RunFollower {
  messageId: string | null = null;
  runId: string | null = null;
  queued = false;
  outcome: RunOutcome | null = null;
  private denied = false;
  /** Approvals whose "no" does not make the work incomplete (the `.mcp.json` question). */
  private readonly notWork = new Set<string>();
  private finalText = '';

  constructor(readonly requestId: string) {}

  /** The POST's answer, which names the message (and the run unless queued). */
  accepted(res: Pick<PostMessageResponse, 'messageId' | 'runId' | 'queued' | 'disposition'>): void {
    this.messageId ??= res.messageId;
    // A steer is followed from its `message.user` in the run on, not from the run's start.
    if (res.runId && res.disposition !== 'steering') this.runId ??= res.runId;
    if (res.queued && !this.runId) this.queued = true;
  }

  /** Whether the event belongs to this message's run; updates the state as it goes. */
  take(event: HermesEvent): boolean {
    if (this.outcome) return false;
    switch (event.type) {
      case 'message.queued':
      case 'message.user': {
        const mine =
          (event.data.requestId !== undefined && event.data.requestId === this.requestId) ||
          (this.messageId !== null && event.data.messageId === this.messageId);
        if (!mine) return false;
        this.messageId = event.data.messageId;
        if (event.type === 'message.queued') this.queued = true;
        // Taken into the running run: that run's events from here on are this message's.
        if (event.type === 'message.user' && event.data.delivery === 'steer' && event.runId) {
          this.runId = event.runId;
          this.queued = false;
        }
        return true;
      }
      case 'message.dequeued':
        if (this.messageId === null || event.data.messageId !== this.messageId) return false;
        this.queued = false;
        this.outcome = { stopReason: 'cancelled', denied: false, finalText: '', withdrawnBy: event.data.by ?? 'another client' };
        return true;
      case 'run.started':
        if (this.messageId === null || event.data.messageId !== this.messageId || !event.runId) return false;
        this.runId = event.runId;
        this.queued = false;
        return true;
      default:
        break;
    }
    // Session-level events while this message is in flight (its title, say) belong to the output too.
    if (event.runId === undefined && this.messageId !== null && (event.type === 'session.updated' || event.type === 'notice')) return true;
    if (this.runId === null || event.runId !== this.runId) return false;
    if (event.type === 'message.completed') this.finalText = event.data.text;
    // Declining a workspace's .mcp.json is not a step of the work denied.
    if (event.type === 'approval.requested' && event.data.kind === 'mcp_project') this.notWork.add(event.data.approvalId);
    if (event.type === 'approval.resolved') this.noteResolved(event);
    if (event.type === 'run.completed') {
      this.outcome = {
        stopReason: event.data.stopReason,
        ...(event.data.error ? { error: event.data.error } : {}),
        denied: this.denied,
        finalText: this.finalText,
      };
    }
    return true;
  }

  private noteResolved(event: EventOf<'approval.resolved'>): void {
    if (event.data.decision === 'deny' && !SYSTEM_DENIERS.has(event.data.by) && !this.notWork.has(event.data.approvalId))
      this.denied = true;
  }
}

/**
 * The exit code of a finished run. A Ctrl-C of ours wins; then a denied approval (even if the
 * model answered after it: a script must know the work was blocked); then the stop reason.
 */
export function exitCodeOf(outcome: RunOutcome, interruptedByUs: boolean): number {
  if (interruptedByUs) return EXIT.interrupted;
  if (outcome.denied && outcome.stopReason !== 'interrupted') return EXIT.denied;
  switch (outcome.stopReason) {
    case 'done':
      return EXIT.ok;
    case 'cancelled':
      return EXIT.interrupted;
    case 'error':
    case 'interrupted':
    case 'max_iterations':
      return EXIT.failed;
  }
}
