import type { AgentContext, PermissionOption, RequestPermissionResponse, ToolCallContent, ToolCallUpdate } from '@agentclientprotocol/sdk';
import type { ApprovalDecision, EventOf } from '@hermes/protocol';
import { ApiError } from '../client/errors.js';
import type { DaemonClient } from '../client/api.js';
import type { AcpLog } from './log.js';
import { choiceName, offeredChoices, type ApprovalChoice } from '../format/approval.js';
import { editDiffs, textContent } from './tool-calls.js';

/**
 * hermes approvals as ACP permission requests. The daemon decides what needs asking; the
 * bridge shows it in the editor and posts the answer back. An approval answered elsewhere
 * (the TUI, `send`) withdraws the editor's request with `$/cancel_request`.
 */

const KINDS: Record<ApprovalDecision, PermissionOption['kind']> = {
  once: 'allow_once',
  session: 'allow_always',
  always: 'allow_always',
  deny: 'reject_once',
};

type Ask = EventOf<'approval.requested'>['data'];

/** An option's id: the decision, or `always:<rule>` for a wider rule (a whole MCP server). */
const optionId = (c: ApprovalChoice) => (c.pattern === undefined ? c.decision : `${c.decision}:${c.pattern}`);

export function permissionOptions(ask: Pick<Ask, 'choices' | 'patterns' | 'kind'>): PermissionOption[] {
  return offeredChoices(ask).map((c) => ({ optionId: optionId(c), name: choiceName(c, ask.kind), kind: KINDS[c.decision] }));
}

export interface Answer {
  decision: ApprovalDecision;
  pattern?: string;
  reason?: string;
}

/** The editor's answer as a hermes decision; anything but an offered choice denies. */
export function answerOf(response: RequestPermissionResponse, ask: Pick<Ask, 'choices' | 'patterns'>): Answer {
  const { outcome } = response;
  if (outcome.outcome === 'cancelled') return { decision: 'deny', reason: 'cancelled in the editor' };
  const picked = offeredChoices(ask).find((c) => optionId(c) === outcome.optionId);
  if (!picked) return { decision: 'deny', reason: `the editor answered with an unknown option (${outcome.optionId.slice(0, 50)})` };
  return picked;
}

/** What the editor shows in the request: the command (or the rule it would allow) or the diff. */
export function permissionContent(e: EventOf<'approval.requested'>, args: Record<string, unknown>, workspace: string): ToolCallContent[] {
  const { tool, summary, reasons, pattern } = e.data;
  if (tool === 'write_file' || tool === 'patch') {
    const diffs = editDiffs(tool, args, workspace, e.data.diff);
    if (diffs.length > 0) return diffs;
  }
  const lines = [summary];
  if (reasons.length > 0) lines.push('', ...reasons.map((r) => `- ${r}`));
  if (pattern && pattern !== summary) lines.push('', `"Allow for this session" and "Always allow" allow: ${pattern}`);
  const content: ToolCallContent[] = [textContent(tool === 'terminal' ? summary : lines.join('\n'), tool === 'terminal')];
  if (tool === 'terminal' && lines.length > 1) content.push(textContent(lines.slice(1).join('\n').trim(), false));
  return content;
}

export interface PermissionTarget {
  sessionId: string;
  approval: EventOf<'approval.requested'>;
  toolCall: ToolCallUpdate;
}

export class PermissionBridge {
  /** approvalId → the abort of its pending editor request. */
  private readonly pending = new Map<string, AbortController>();

  constructor(
    private readonly editor: AgentContext,
    private readonly daemon: () => Promise<DaemonClient>,
    private readonly by: string,
    private readonly log: AcpLog,
    /** Aborted when the editor goes away: its requests then fail, and nothing is denied for it. */
    private readonly connection: AbortSignal,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Asks the editor; posts its answer unless the approval was answered elsewhere meanwhile. */
  async ask(t: PermissionTarget): Promise<void> {
    const { approvalId } = t.approval.data;
    if (this.pending.has(approvalId)) return;
    const abort = new AbortController();
    this.pending.set(approvalId, abort);
    let answer: Answer;
    try {
      const response = await this.editor.request(
        'session/request_permission',
        { sessionId: t.sessionId, toolCall: t.toolCall, options: permissionOptions(t.approval.data) },
        { cancellationSignal: abort.signal, stopWaitingOnCancel: true },
      );
      answer = answerOf(response, t.approval.data);
    } catch (err) {
      if (abort.signal.aborted || this.connection.aborted) return;
      // A client that cannot ask counts as a no (OpenCode does the same).
      this.log.warn(`session/request_permission failed: ${(err as Error).message}`);
      answer = { decision: 'deny', reason: 'the editor could not ask for permission' };
    } finally {
      this.pending.delete(approvalId);
    }
    if (abort.signal.aborted) return;
    try {
      const client = await this.daemon();
      await client.answerApproval(t.sessionId, approvalId, {
        decision: answer.decision,
        by: this.by,
        ...(answer.reason ? { reason: answer.reason } : {}),
        ...(answer.pattern !== undefined ? { pattern: answer.pattern } : {}),
      });
    } catch (err) {
      // 409/404: answered elsewhere first, or the run ended; its approval.resolved tells the rest.
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
      this.log.error(`could not answer approval ${approvalId}: ${(err as Error).message}`);
    }
  }

  /** The approval was resolved (here or elsewhere): withdraw the editor's request if still open. */
  withdraw(approvalId: string): void {
    const abort = this.pending.get(approvalId);
    if (!abort) return;
    this.pending.delete(approvalId);
    abort.abort(new Error('answered in another client'));
  }

  close(): void {
    for (const abort of this.pending.values()) abort.abort(new Error('closed'));
    this.pending.clear();
  }
}
