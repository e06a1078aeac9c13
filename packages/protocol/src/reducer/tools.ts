import { TOOL_OUTPUT_TAIL_CHARS } from '../transcript.js';
import { isTool, tail, updateLast, type Handlers } from './items.js';

/** Tool calls and what they wait on: approvals and clarifying questions. */
export const toolsHandlers: Handlers<
  'tool.started' | 'tool.output' | 'tool.completed' | 'approval.requested' | 'approval.resolved' | 'clarify.requested' | 'clarify.resolved'
> = {
  'tool.started': (t, e) => {
    if (t.items.some(isTool(e.data.toolCallId))) return t;
    return {
      ...t,
      items: [
        ...t.items,
        {
          kind: 'tool',
          seq: e.seq,
          toolCallId: e.data.toolCallId,
          runId: e.runId,
          name: e.data.name,
          args: e.data.args,
          ...(e.data.summary !== undefined ? { summary: e.data.summary } : {}),
          startedAt: e.ts,
          output: '',
          status: 'running',
        },
      ],
    };
  },
  'tool.output': (t, e) => {
    return {
      ...t,
      items: updateLast(t.items, isTool(e.data.toolCallId), (tool) => ({
        ...tool,
        output: tail(tool.output + e.data.text, TOOL_OUTPUT_TAIL_CHARS),
      })),
    };
  },
  'tool.completed': (t, e) => {
    return {
      ...t,
      items: updateLast(t.items, isTool(e.data.toolCallId), (tool) => ({
        ...tool,
        status: e.data.ok ? 'ok' : 'error',
        result: e.data.result,
        durationMs: e.data.durationMs,
        ...(e.data.exitCode !== undefined ? { exitCode: e.data.exitCode } : {}),
        ...(e.data.diff !== undefined ? { diff: e.data.diff } : {}),
      })),
    };
  },
  'approval.requested': (t, e) => {
    if (t.pendingApprovals.some((p) => p.approvalId === e.data.approvalId)) return t;
    return {
      ...t,
      pendingApprovals: [...t.pendingApprovals, { ...e.data, runId: e.runId, seq: e.seq }],
    };
  },
  'approval.resolved': (t, e) => {
    const pending = t.pendingApprovals.find((p) => p.approvalId === e.data.approvalId);
    return {
      ...t,
      pendingApprovals: t.pendingApprovals.filter((p) => p.approvalId !== e.data.approvalId),
      items: [
        ...t.items,
        {
          kind: 'approval',
          seq: e.seq,
          approvalId: e.data.approvalId,
          toolCallId: pending?.toolCallId ?? '',
          tool: pending?.tool ?? '',
          summary: pending?.summary ?? '',
          decision: e.data.decision,
          by: e.data.by,
          ...(e.data.reason !== undefined ? { reason: e.data.reason } : {}),
          ...(e.data.pattern !== undefined ? { pattern: e.data.pattern } : {}),
        },
      ],
    };
  },
  'clarify.requested': (t, e) => {
    if ((t.pendingClarifications ?? []).some((p) => p.clarifyId === e.data.clarifyId)) return t;
    return {
      ...t,
      pendingClarifications: [
        ...(t.pendingClarifications ?? []),
        { clarifyId: e.data.clarifyId, toolCallId: e.data.toolCallId, runId: e.runId, questions: e.data.questions, seq: e.seq },
      ],
    };
  },
  'clarify.resolved': (t, e) => {
    const pending = t.pendingClarifications?.find((p) => p.clarifyId === e.data.clarifyId);
    // Only the first resolution counts (a duplicate in a log changes nothing).
    if (!pending) return t;
    return {
      ...t,
      pendingClarifications: t.pendingClarifications!.filter((p) => p.clarifyId !== e.data.clarifyId),
      items: [
        ...t.items,
        {
          kind: 'clarify',
          seq: e.seq,
          clarifyId: e.data.clarifyId,
          toolCallId: pending.toolCallId,
          questions: pending.questions,
          answers: e.data.answers,
          by: e.data.by,
          reason: e.data.reason,
          ...(e.data.note !== undefined ? { note: e.data.note } : {}),
        },
      ],
    };
  },
};
