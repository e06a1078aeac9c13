import { TOOL_OUTPUT_TAIL_CHARS, type HermesEvent, type TranscriptItem } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { UpdateMapper } from './updates.js';

let seq = 0;
const ev = <T extends HermesEvent['type']>(type: T, data: Extract<HermesEvent, { type: T }>['data'], runId = 'run_1'): HermesEvent =>
  ({ v: 1, seq: ++seq, sessionId: 's', runId, ts: '2026-12-01T10:00:00.000Z', type, data }) as HermesEvent;

const mapper = (notices = false) => new UpdateMapper({ workspace: '/ws', notices, ownRequestPrefix: 'acp-abcd-' });

describe('hermes events as ACP updates', () => {
  it('deltas become chunks; empty deltas nothing', () => {
    const m = mapper();
    expect(m.map(ev('message.delta', { messageId: 'm1', text: 'Hi' }))).toEqual([
      { sessionUpdate: 'agent_message_chunk', messageId: 'm1', content: { type: 'text', text: 'Hi' } },
    ]);
    expect(m.map(ev('reasoning.delta', { messageId: 'm1', text: 'hmm' }))[0]).toMatchObject({ sessionUpdate: 'agent_thought_chunk' });
    expect(m.map(ev('message.delta', { messageId: 'm1', text: '' }))).toEqual([]);
  });

  it('the editor’s own prompts are not echoed; other clients’ messages are', () => {
    const m = mapper();
    expect(m.map(ev('message.user', { messageId: 'u1', text: 'mine', requestId: 'acp-abcd-7' }))).toEqual([]);
    // Another bridge process (another prefix), the TUI (none) and a look-alike are others.
    expect(m.map(ev('message.user', { messageId: 'u2', text: 'theirs', requestId: 'acp-ffff-7' }))).toHaveLength(1);
    expect(m.map(ev('message.user', { messageId: 'u3', text: 'tui' }))).toEqual([
      { sessionUpdate: 'user_message_chunk', messageId: 'u3', content: { type: 'text', text: 'tui' } },
    ]);
    expect(m.map(ev('message.user', { messageId: 'u4', text: 'x', requestId: 'xacp-abcd-1' }))).toHaveLength(1);
  });

  it('a workspace .mcp.json question is a call of its own, ended by its answer', () => {
    const m = mapper();
    const data = {
      approvalId: 'a9',
      toolCallId: 'mcp-project-1',
      tool: '.mcp.json',
      summary: 'x',
      reasons: [],
      choices: ['once', 'deny'] as ('once' | 'deny')[],
      kind: 'mcp_project' as const,
    };
    expect(m.map(ev('approval.requested', data))).toMatchObject([
      {
        sessionUpdate: 'tool_call',
        toolCallId: 'mcp-project-1',
        title: "Start this workspace's MCP servers?",
        kind: 'other',
        status: 'pending',
      },
    ]);
    expect(m.map(ev('approval.resolved', { approvalId: 'a9', decision: 'deny', by: 'tui' }))).toEqual([
      { sessionUpdate: 'tool_call_update', toolCallId: 'mcp-project-1', status: 'failed' },
    ]);
    // A tool's approval ends with its tool, not here.
    expect(m.map(ev('approval.resolved', { approvalId: 'other', decision: 'once', by: 'tui' }))).toEqual([]);
  });

  it('a tool call is announced with the reply, before any approval, then updated to its end', () => {
    const m = mapper();
    const calls = [{ id: 't1', name: 'terminal', args: { command: 'rm -rf build' } }];
    expect(m.map(ev('message.completed', { messageId: 'm1', text: '', toolCalls: calls }))).toEqual([
      {
        sessionUpdate: 'tool_call',
        toolCallId: 't1',
        title: 'rm -rf build',
        kind: 'execute',
        status: 'pending',
        rawInput: { command: 'rm -rf build' },
        locations: [],
      },
    ]);
    // Already announced: the approval adds nothing here (the permission request carries it).
    expect(
      m.map(
        ev('approval.requested', {
          approvalId: 'a1',
          toolCallId: 't1',
          tool: 'terminal',
          summary: 'rm -rf build',
          reasons: [],
          choices: ['once', 'deny'],
        }),
      ),
    ).toEqual([]);
    expect(m.map(ev('tool.started', { toolCallId: 't1', name: 'terminal', args: calls[0]!.args }))).toEqual([
      { sessionUpdate: 'tool_call_update', toolCallId: 't1', status: 'in_progress' },
    ]);
    m.map(ev('tool.output', { toolCallId: 't1', text: 'one\n' }));
    const out = m.map(ev('tool.output', { toolCallId: 't1', text: 'two\n' }));
    expect(out[0]).toMatchObject({ content: [{ type: 'content', content: { type: 'text', text: '```\none\ntwo\n```' } }] });
    const done = m.map(ev('tool.completed', { toolCallId: 't1', ok: false, result: 'failed: exit 1', durationMs: 5, exitCode: 1 }));
    expect(done).toEqual([
      {
        sessionUpdate: 'tool_call_update',
        toolCallId: 't1',
        status: 'failed',
        content: [{ type: 'content', content: { type: 'text', text: '```\nfailed: exit 1\n```' } }],
        rawOutput: { result: 'failed: exit 1', exitCode: 1 },
      },
    ]);
  });

  it('an approval for a call never seen still gets its tool_call first', () => {
    const m = mapper();
    expect(
      m.map(
        ev('approval.requested', {
          approvalId: 'a1',
          toolCallId: 'tX',
          tool: 'write_file',
          summary: 'write x',
          reasons: [],
          choices: ['once', 'deny'],
        }),
      ),
    ).toMatchObject([{ sessionUpdate: 'tool_call', toolCallId: 'tX', kind: 'edit', status: 'pending' }]);
  });

  it('live output keeps only its tail', () => {
    const m = mapper();
    m.map(ev('tool.started', { toolCallId: 't1', name: 'terminal', args: { command: 'yes' } }));
    let last: unknown;
    for (let i = 0; i < 40; i++)
      last = m.map(ev('tool.output', { toolCallId: 't1', text: `${String(i).padStart(4, '0')}${'y'.repeat(996)}` }))[0];
    const text = (last as { content: { content: { text: string } }[] }).content[0]!.content.text;
    expect(text.length).toBeLessThanOrEqual(TOOL_OUTPUT_TAIL_CHARS + 10);
    expect(text).toContain('0039');
    expect(text).not.toContain('0000');
  });

  it('a completed edit shows its diff', () => {
    const m = mapper();
    m.map(
      ev('message.completed', {
        messageId: 'm',
        text: '',
        toolCalls: [{ id: 'p1', name: 'patch', args: { path: 'a.ts', old_string: 'x', new_string: 'y' } }],
      }),
    );
    const diff = '--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,1 @@\n-x\n+y\n';
    expect(
      m.map(ev('tool.completed', { toolCallId: 'p1', ok: true, result: 'Replaced 1 occurrence', durationMs: 1, diff }))[0],
    ).toMatchObject({
      status: 'completed',
      content: [{ type: 'diff', path: '/ws/a.ts', oldText: 'x', newText: 'y' }],
    });
  });

  it('usage needs the context size; notices need the capability', () => {
    expect(mapper().map(ev('usage.updated', { inputTokens: 5, outputTokens: 1 }))).toEqual([]);
    expect(
      mapper().map(ev('usage.updated', { inputTokens: 5, outputTokens: 1, contextTokens: 900, contextWindow: 128000, costUsd: 0.01 })),
    ).toEqual([{ sessionUpdate: 'usage_update', used: 900, size: 128000, cost: { amount: 0.01, currency: 'USD' } }]);
    expect(mapper(false).map(ev('notice', { level: 'warn', message: 'retrying' }))).toEqual([]);
    expect(mapper(true).map(ev('notice', { level: 'warn', message: 'retrying' }))).toEqual([
      { sessionUpdate: 'notice', severity: 'warning', title: 'retrying' },
    ]);
  });

  it('replays a transcript: messages, tool calls and their last state, then maps live events on top', () => {
    const items: TranscriptItem[] = [
      { kind: 'user', seq: 1, messageId: 'u1', text: 'run it' },
      {
        kind: 'assistant',
        seq: 2,
        messageId: 'm1',
        text: 'Running.',
        reasoning: 'why not',
        toolCalls: [{ id: 't1', name: 'terminal', args: { command: 'make' } }],
        status: 'done',
      },
      { kind: 'tool', seq: 3, toolCallId: 't1', name: 'terminal', args: { command: 'make' }, output: 'building…', status: 'running' },
      { kind: 'approval', seq: 4, approvalId: 'a', toolCallId: 't1', tool: 'terminal', summary: 'make', decision: 'once', by: 'tui' },
    ];
    const m = mapper();
    const out = m.replay(items);
    expect(out.map((u) => u.sessionUpdate)).toEqual([
      'user_message_chunk',
      'agent_thought_chunk',
      'agent_message_chunk',
      'tool_call',
      'tool_call_update',
    ]);
    expect(out[4]).toMatchObject({ status: 'in_progress', content: [{ content: { text: '```\nbuilding…\n```' } }] });
    // The live tail continues from the replayed output, and the call is known (no second tool_call).
    expect(m.map(ev('tool.output', { toolCallId: 't1', text: ' done' }))[0]).toMatchObject({
      content: [{ content: { text: '```\nbuilding… done\n```' } }],
    });
    expect(m.map(ev('tool.completed', { toolCallId: 't1', ok: true, result: 'ok', durationMs: 1 }))).toHaveLength(1);
  });
});
