import type { SessionUpdate, ToolCall as AcpToolCall, ToolCallContent } from '@agentclientprotocol/sdk';
import {
  TOOL_OUTPUT_TAIL_CHARS,
  type EventOf,
  type HermesEvent,
  type NoticeLevel,
  type ToolCall,
  type TranscriptItem,
} from '@hermes/protocol';
import { editDiffs, textContent, toolKind, toolLocations, toolTitle } from './tool-calls.js';

/**
 * hermes events → ACP `session/update`s, as pure functions over a little state: the tool calls
 * seen so far (a `tool.completed` carries only the id) and each call's live output tail.
 * The same mapper replays a transcript (`session/load`) and then follows live events, so a
 * call that started before the load still maps when it completes.
 */
export interface MapperOptions {
  /** The session's workspace: tool paths are made absolute against it. */
  workspace: string;
  /** The client advertised `session.notices`. */
  notices: boolean;
  /** requestIds this bridge gave its prompts start with this: the editor already shows those. */
  ownRequestPrefix: string;
}

interface KnownCall {
  name: string;
  args: Record<string, unknown>;
}

const SEVERITY: Record<NoticeLevel, string> = { info: 'info', warn: 'warning', error: 'error' };

export class UpdateMapper {
  private readonly calls = new Map<string, KnownCall>();
  private readonly outputs = new Map<string, string>();
  /** approvalId → toolCallId of approvals that are not about a tool call (`mcp_project`). */
  private readonly standalone = new Map<string, string>();

  constructor(private readonly opts: MapperOptions) {}

  /** The arguments of a call seen so far (for a permission request about it). */
  argsOf(toolCallId: string): Record<string, unknown> | undefined {
    return this.calls.get(toolCallId)?.args;
  }

  /** The ACP description of a call, for `tool_call` and for a permission request about it. */
  describe(toolCallId: string, name: string, args: Record<string, unknown>, status: AcpToolCall['status'] = 'pending'): AcpToolCall {
    return {
      toolCallId,
      title: toolTitle(name, args),
      kind: toolKind(name),
      status,
      rawInput: args,
      locations: toolLocations(name, args, this.opts.workspace),
    };
  }

  private announce(
    call: ToolCall | { id: string; name: string; args: Record<string, unknown> },
    status: AcpToolCall['status'],
  ): SessionUpdate {
    this.calls.set(call.id, { name: call.name, args: call.args });
    return { sessionUpdate: 'tool_call', ...this.describe(call.id, call.name, call.args, status) };
  }

  /** The updates of one live event (often none). */
  map(e: HermesEvent): SessionUpdate[] {
    switch (e.type) {
      case 'message.user':
        if (e.data.requestId?.startsWith(this.opts.ownRequestPrefix)) return [];
        return [{ sessionUpdate: 'user_message_chunk', messageId: e.data.messageId, content: { type: 'text', text: e.data.text } }];
      case 'message.delta':
        return e.data.text
          ? [{ sessionUpdate: 'agent_message_chunk', messageId: e.data.messageId, content: { type: 'text', text: e.data.text } }]
          : [];
      case 'reasoning.delta':
        return e.data.text
          ? [{ sessionUpdate: 'agent_thought_chunk', messageId: e.data.messageId, content: { type: 'text', text: e.data.text } }]
          : [];
      case 'message.completed':
        // hermes asks for approval before `tool.started`: announcing the calls here puts each
        // `tool_call` before any permission request about it.
        return e.data.toolCalls.filter((c) => !this.calls.has(c.id)).map((c) => this.announce(c, 'pending'));
      case 'approval.requested':
        // Not a tool's: the question about a workspace's .mcp.json ends with its answer.
        if (e.data.kind === 'mcp_project') this.standalone.set(e.data.approvalId, e.data.toolCallId);
        return this.calls.has(e.data.toolCallId) ? [] : [this.announce({ id: e.data.toolCallId, name: e.data.tool, args: {} }, 'pending')];
      case 'approval.resolved': {
        const id = this.standalone.get(e.data.approvalId);
        if (!id) return [];
        this.standalone.delete(e.data.approvalId);
        return [{ sessionUpdate: 'tool_call_update', toolCallId: id, status: e.data.decision === 'deny' ? 'failed' : 'completed' }];
      }
      case 'tool.started':
        if (!this.calls.has(e.data.toolCallId))
          return [this.announce({ id: e.data.toolCallId, name: e.data.name, args: e.data.args }, 'in_progress')];
        this.calls.set(e.data.toolCallId, { name: e.data.name, args: e.data.args });
        return [{ sessionUpdate: 'tool_call_update', toolCallId: e.data.toolCallId, status: 'in_progress' }];
      case 'tool.output':
        return [this.output(e)];
      case 'tool.completed':
        return [this.completed(e.data)];
      case 'usage.updated': {
        const { contextTokens, contextWindow, costUsd } = e.data;
        if (contextTokens === undefined || contextWindow === undefined) return [];
        return [
          {
            sessionUpdate: 'usage_update',
            used: contextTokens,
            size: contextWindow,
            ...(costUsd !== undefined ? { cost: { amount: costUsd, currency: 'USD' } } : {}),
          },
        ];
      }
      case 'notice':
        return this.notice(e.data.level, e.data.message);
      case 'session.updated':
        return e.data.title !== undefined ? [{ sessionUpdate: 'session_info_update', title: e.data.title, updatedAt: e.ts }] : [];
      default:
        return [];
    }
  }

  private notice(level: NoticeLevel, message: string): SessionUpdate[] {
    return this.opts.notices ? [{ sessionUpdate: 'notice', severity: SEVERITY[level], title: message }] : [];
  }

  private output(e: EventOf<'tool.output'>): SessionUpdate {
    const id = e.data.toolCallId;
    const tail = ((this.outputs.get(id) ?? '') + e.data.text).slice(-TOOL_OUTPUT_TAIL_CHARS);
    this.outputs.set(id, tail);
    return { sessionUpdate: 'tool_call_update', toolCallId: id, status: 'in_progress', content: [textContent(tail, true)] };
  }

  private completed(d: {
    toolCallId: string;
    ok: boolean;
    result: string;
    exitCode?: number | null | undefined;
    diff?: string | undefined;
  }): SessionUpdate {
    this.outputs.delete(d.toolCallId);
    const call = this.calls.get(d.toolCallId);
    const name = call?.name ?? 'tool';
    let content: ToolCallContent[] = d.ok && call ? editDiffs(name, call.args, this.opts.workspace, d.diff) : [];
    if (content.length === 0 && d.result) content = [textContent(d.result, name === 'terminal')];
    return {
      sessionUpdate: 'tool_call_update',
      toolCallId: d.toolCallId,
      status: d.ok ? 'completed' : 'failed',
      content,
      rawOutput: { result: d.result, ...(d.exitCode !== undefined ? { exitCode: d.exitCode } : {}) },
    };
  }

  /**
   * A transcript as the updates that rebuild it in an editor: the user's and the agent's
   * messages, each tool call and its last state. Approvals show through their tool's result.
   */
  replay(items: readonly TranscriptItem[]): SessionUpdate[] {
    const out: SessionUpdate[] = [];
    for (const item of items) {
      switch (item.kind) {
        case 'user':
          out.push({ sessionUpdate: 'user_message_chunk', messageId: item.messageId, content: { type: 'text', text: item.text } });
          break;
        case 'assistant':
          if (item.reasoning)
            out.push({ sessionUpdate: 'agent_thought_chunk', messageId: item.messageId, content: { type: 'text', text: item.reasoning } });
          if (item.text)
            out.push({ sessionUpdate: 'agent_message_chunk', messageId: item.messageId, content: { type: 'text', text: item.text } });
          for (const c of item.toolCalls) if (!this.calls.has(c.id)) out.push(this.announce(c, 'pending'));
          break;
        case 'tool':
          if (!this.calls.has(item.toolCallId))
            out.push(this.announce({ id: item.toolCallId, name: item.name, args: item.args }, 'pending'));
          else this.calls.set(item.toolCallId, { name: item.name, args: item.args });
          if (item.status === 'running') {
            if (item.output) this.outputs.set(item.toolCallId, item.output);
            out.push({
              sessionUpdate: 'tool_call_update',
              toolCallId: item.toolCallId,
              status: 'in_progress',
              ...(item.output ? { content: [textContent(item.output, true)] } : {}),
            });
          } else {
            out.push(
              this.completed({
                toolCallId: item.toolCallId,
                ok: item.status === 'ok',
                result: item.result ?? '',
                exitCode: item.exitCode,
                diff: item.diff,
              }),
            );
          }
          break;
        case 'notice':
          out.push(...this.notice(item.level, item.message));
          break;
        case 'run_end':
          if (item.error) out.push(...this.notice('error', `${item.error.kind}: ${item.error.message}`));
          break;
        case 'approval':
          break;
      }
    }
    return out;
  }
}
