import type { AgentContext, PromptResponse, SessionUpdate, ToolCallUpdate } from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import {
  ENVELOPE_VERSION,
  type EventOf,
  type HermesEvent,
  type PendingApproval,
  type PostMessageRequest,
  type TranscriptItem,
} from '@hermes/protocol';
import { ApiError, DaemonUnavailableError } from '../client/errors.js';
import { SessionEventStream, type StreamStatus } from '../client/event-stream.js';
import { RunFollower } from '../commands/send/follow.js';
import type { DaemonLink } from './daemon-link.js';
import { toRequestError } from './errors.js';
import type { AcpLog } from './log.js';
import { permissionContent, type PermissionBridge } from './permission.js';
import { turnEnd } from './turn-end.js';
import { UpdateMapper } from './updates.js';

/** After `session/cancel`, the prompt answers `cancelled` by then even if the run has not ended yet. */
export const CANCEL_ANSWER_MS = 800;
/** An active prompt fails when the daemon stays unreachable this long. */
const LOST_DAEMON_MS = 30_000;

export interface SessionDeps {
  editor: AgentContext;
  daemon: DaemonLink;
  permissions: PermissionBridge;
  log: AcpLog;
  notices: boolean;
  ownRequestPrefix: string;
  /** Who answers and withdraws, for the other clients (`acp (zed)`). */
  by: string;
}

interface ActivePrompt {
  follower: RunFollower;
  cancelled: boolean;
  stopSent: boolean;
  withdrawRefused: boolean;
  settle(r: PromptResponse | RequestError): void;
}

/**
 * One hermes session as this editor sees it: its live events as `session/update`s, its
 * approvals as permission requests, and the prompts sent from here until their runs end.
 * The daemon owns the session; this keeps only the stream's cursor and what the mapping needs.
 */
export class AcpSession {
  private stream: SessionEventStream | null = null;
  private readonly mapper: UpdateMapper;
  private readonly prompts = new Set<ActivePrompt>();
  private lostTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    readonly workspace: string,
    private readonly deps: SessionDeps,
  ) {
    this.mapper = new UpdateMapper({ workspace, notices: deps.notices, ownRequestPrefix: deps.ownRequestPrefix });
  }

  private send(update: SessionUpdate): void {
    this.deps.editor.notify('session/update', { sessionId: this.id, update }).catch(() => {
      // The editor is gone; the connection's close ends everything.
    });
  }

  /** `session/load`: the transcript as updates, before the load is answered. */
  replay(items: readonly TranscriptItem[]): void {
    for (const u of this.mapper.replay(items)) this.send(u);
  }

  /** Follows live events after `after` (each once, reconnecting); asks the approvals still open. */
  async follow(after: number, pending: readonly PendingApproval[] = []): Promise<void> {
    const client = await this.deps.daemon.get();
    if (this.closed) return;
    this.stream = new SessionEventStream(
      client,
      this.id,
      {
        onEvent: (e) => this.onEvent(e),
        onStatus: (s, detail) => this.onStatus(s, detail),
        onGone: (detail) => this.gone(detail),
        onResync: () => this.deps.log.warn(`session ${this.id}: the daemon's log was replaced; following from its start`),
      },
      { after, reconnect: () => this.deps.daemon.refresh() },
    );
    for (const p of pending) {
      const e = approvalEventOf(this.id, p);
      for (const u of this.mapper.map(e)) this.send(u);
      this.ask(e);
    }
  }

  private onEvent(e: HermesEvent): void {
    for (const u of this.mapper.map(e)) this.send(u);
    if (e.type === 'approval.requested') this.ask(e);
    if (e.type === 'approval.resolved') this.deps.permissions.withdraw(e.data.approvalId);
    if (e.type === 'clarify.requested') this.dismissQuestion(e.data.clarifyId);
    for (const p of this.prompts) {
      if (!p.follower.take(e)) continue;
      if (p.follower.outcome) this.finish(p);
      else this.maybeStop(p);
    }
  }

  /**
   * ACP has no way to ask the editor's user a structured question: dismiss it at once, as `send`
   * does without a terminal, so the model goes on and states its assumption (an attached TUI
   * that answers first still wins).
   */
  private dismissQuestion(clarifyId: string): void {
    this.deps.daemon
      .get()
      .then((c) => c.answerClarification(this.id, clarifyId, { answers: null, by: 'acp' }))
      .catch((err: unknown) => {
        if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
        this.deps.log.warn(`session ${this.id}: could not dismiss a question: ${(err as Error).message}`);
      });
  }

  private ask(e: EventOf<'approval.requested'>): void {
    const args = this.mapper.argsOf(e.data.toolCallId) ?? {};
    const described = this.mapper.describe(e.data.toolCallId, e.data.tool, args);
    const toolCall: ToolCallUpdate = { ...described, content: permissionContent(e, args, this.workspace) };
    void this.deps.permissions.ask({ sessionId: this.id, approval: e, toolCall });
  }

  private onStatus(status: StreamStatus, detail?: string): void {
    if (status === 'live') {
      clearTimeout(this.lostTimer);
      this.lostTimer = undefined;
    } else if (status === 'reconnecting' && !this.lostTimer && !this.closed) {
      this.deps.log.warn(`session ${this.id}: lost the daemon (${detail ?? 'connection closed'}); reconnecting`);
      this.lostTimer = setTimeout(() => {
        const err = new DaemonUnavailableError(
          `lost the connection to the hermes daemon for ${LOST_DAEMON_MS / 1000} s`,
          `the run may still be going: hermes attach ${this.id}`,
        );
        for (const p of this.prompts) this.end(p, toRequestError(err));
      }, LOST_DAEMON_MS);
    }
  }

  private gone(detail: string): void {
    this.deps.log.warn(detail);
    for (const p of this.prompts) this.end(p, RequestError.sessionNotFound(this.id));
    this.close();
  }

  /** `session/prompt`: posts the message and answers when its run ends. */
  prompt(body: PostMessageRequest & { requestId: string }): Promise<PromptResponse> {
    return new Promise<PromptResponse>((resolve, reject) => {
      const p: ActivePrompt = {
        follower: new RunFollower(body.requestId),
        cancelled: false,
        stopSent: false,
        withdrawRefused: false,
        settle: (r) => (r instanceof RequestError ? reject(r) : resolve(r)),
      };
      this.prompts.add(p);
      // The same requestId makes the retry safe: the daemon answers it with the first message.
      this.deps.daemon
        .call((c) => c.postMessage(this.id, body))
        .then(
          (res) => {
            p.follower.accepted(res);
            this.maybeStop(p);
          },
          (err: unknown) => this.end(p, toRequestError(err, this.id)),
        );
    });
  }

  /** `session/cancel`: stops this editor's runs; their prompts answer `cancelled` promptly. */
  cancel(): void {
    for (const p of this.prompts) {
      if (p.cancelled) continue;
      p.cancelled = true;
      this.maybeStop(p);
      setTimeout(() => this.end(p, { stopReason: 'cancelled' }), CANCEL_ANSWER_MS).unref();
    }
  }

  /** Stops what is known of a cancelled prompt: its run once started, else its queued message. */
  private maybeStop(p: ActivePrompt): void {
    if (!p.cancelled || p.stopSent) return;
    const { runId, messageId, queued } = p.follower;
    if (runId) {
      p.stopSent = true;
      this.deps.daemon
        .call((c) => c.cancel(this.id))
        .catch((err: unknown) => this.deps.log.error(`could not cancel the run: ${(err as Error).message}`));
    } else if (queued && messageId && !p.withdrawRefused) {
      p.stopSent = true;
      this.deps.daemon
        .call((c) => c.withdrawMessage(this.id, messageId, this.deps.by))
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 409) {
            // Its run started meanwhile: cancel that instead (now, or when run.started arrives).
            p.withdrawRefused = true;
            p.stopSent = false;
            this.maybeStop(p);
            return;
          }
          this.deps.log.error(`could not withdraw the message: ${(err as Error).message}`);
        });
    }
  }

  private finish(p: ActivePrompt): void {
    this.end(p, turnEnd(p.follower.outcome!, p.cancelled));
  }

  private end(p: ActivePrompt, r: PromptResponse | RequestError): void {
    if (!this.prompts.delete(p)) return;
    p.settle(r);
  }

  /** Stops following (the session goes on in hermes); open prompts answer `cancelled`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lostTimer);
    this.stream?.close();
    for (const p of this.prompts) this.end(p, { stopReason: 'cancelled' });
  }
}

/** A pending approval from `GET /v1/sessions/:id` as the event that announced it. */
function approvalEventOf(sessionId: string, p: PendingApproval): EventOf<'approval.requested'> {
  return {
    v: ENVELOPE_VERSION,
    seq: p.seq,
    sessionId,
    ...(p.runId ? { runId: p.runId } : {}),
    ts: new Date().toISOString(),
    type: 'approval.requested',
    data: {
      approvalId: p.approvalId,
      toolCallId: p.toolCallId,
      tool: p.tool,
      summary: p.summary,
      reasons: p.reasons,
      choices: p.choices,
      ...(p.pattern !== undefined ? { pattern: p.pattern } : {}),
      ...(p.diff !== undefined ? { diff: p.diff } : {}),
      ...(p.kind !== undefined ? { kind: p.kind } : {}),
    },
  };
}
