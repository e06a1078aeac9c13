import { PassThrough } from 'node:stream';
import type { HermesEvent } from '@hermes/protocol';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { offeredChoices } from '../../format/approval.js';
import { choicesLabel, parseDecision } from './approval-prompt.js';
import { composeMessage, InputTooLargeError, MAX_SEND_BYTES, NoInputError } from './compose.js';
import { EXIT, exitCodeOf, RunFollower } from './follow.js';
import { toolCompletedLine, toolStartedLine } from './render.js';
import { readStream } from './stdin.js';

describe('composeMessage', () => {
  it('is the text alone without attachments', () => {
    expect(composeMessage('  review this ', [])).toBe('review this');
  });
  it('puts stdin and files after the text in delimited blocks', () => {
    expect(
      composeMessage('review', [
        { label: 'stdin', content: 'diff\n' },
        { label: 'a.md', content: 'x' },
      ]),
    ).toBe('review\n\n[stdin]\n```\ndiff\n```\n\n[file: a.md]\n```\nx\n```');
  });
  it('uses a fence longer than any inside the content', () => {
    expect(composeMessage('t', [{ label: 'stdin', content: 'a\n````\nb' }])).toBe('t\n\n[stdin]\n`````\na\n````\nb\n`````');
  });
  it('sends stdin verbatim when it is the whole message', () => {
    expect(composeMessage('', [{ label: 'stdin', content: 'the prompt\n' }])).toBe('the prompt');
  });
  it('refuses nothing and too much', () => {
    expect(() => composeMessage(' ', [{ label: 'stdin', content: '\n' }])).toThrow(NoInputError);
    expect(() => composeMessage('x', [{ label: 'stdin', content: 'y'.repeat(MAX_SEND_BYTES) }])).toThrow(InputTooLargeError);
  });
});

describe('readStream', () => {
  it('reads to the end', async () => {
    const s = new PassThrough();
    const p = readStream(s);
    s.write('a');
    s.end('b');
    expect(await p).toBe('ab');
  });
  it('waits for a slow producer to end, and says once that it waits (issue 12 item 5)', async () => {
    const s = new PassThrough();
    let notes = 0;
    const p = readStream(s, { onSlow: () => notes++, slowMs: 20 });
    setTimeout(() => s.write('late '), 60);
    setTimeout(() => s.end('output'), 120);
    expect(await p).toBe('late output');
    expect(notes).toBe(1);
  });
  it('says nothing when the stream ends in time', async () => {
    const s = new PassThrough();
    let notes = 0;
    const p = readStream(s, { onSlow: () => notes++, slowMs: 10_000 });
    s.end('quick');
    expect(await p).toBe('quick');
    expect(notes).toBe(0);
  });
  it('stops at the cap', async () => {
    const s = new PassThrough();
    const p = readStream(s, { capBytes: 4 });
    s.write('12345');
    await expect(p).rejects.toThrow(InputTooLargeError);
  });
});

const env = { v: 1 as const, sessionId: 's', ts: '2026-01-01T00:00:00Z' };
let seq = 0;
const ev = (e: Record<string, unknown>): HermesEvent => ({ ...env, seq: ++seq, ...e }) as HermesEvent;
const usage = { inputTokens: 1, outputTokens: 1 };

describe('RunFollower', () => {
  it('finds its message by requestId before the POST answers, then follows that run only', () => {
    const f = new RunFollower('req1');
    expect(f.take(ev({ type: 'message.user', data: { messageId: 'other', text: 'x' } }))).toBe(false);
    expect(f.take(ev({ type: 'message.user', data: { messageId: 'm1', text: 'x', requestId: 'req1' } }))).toBe(true);
    expect(f.take(ev({ type: 'run.started', runId: 'r0', data: { model: 'a:b', messageId: 'other' } }))).toBe(false);
    expect(f.take(ev({ type: 'run.started', runId: 'r1', data: { model: 'a:b', messageId: 'm1' } }))).toBe(true);
    expect(f.take(ev({ type: 'message.delta', runId: 'r0', data: { messageId: 'x', text: 'no' } }))).toBe(false);
    expect(f.take(ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a', text: 'final', toolCalls: [] } }))).toBe(true);
    expect(f.take(ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage } }))).toBe(true);
    expect(f.outcome).toEqual({ stopReason: 'done', denied: false, finalText: 'final' });
    expect(f.take(ev({ type: 'notice', runId: 'r1', data: { level: 'info', message: 'late' } }))).toBe(false);
  });
  it('follows a queued message to its later run', () => {
    const f = new RunFollower('req2');
    f.accepted({ messageId: 'm2', queued: true });
    expect(f.queued).toBe(true);
    expect(f.take(ev({ type: 'message.queued', data: { messageId: 'm2', requestId: 'req2' } }))).toBe(true);
    expect(f.take(ev({ type: 'message.user', data: { messageId: 'm2', text: 'x' } }))).toBe(true);
    expect(f.take(ev({ type: 'run.started', runId: 'r2', data: { model: 'a:b', messageId: 'm2' } }))).toBe(true);
    expect(f.queued).toBe(false);
  });
  it("follows a steer from the moment the running run takes it, not from that run's start", () => {
    const f = new RunFollower('req3');
    f.accepted({ messageId: 'm3', queued: true, disposition: 'steering' });
    expect(f.queued).toBe(true);
    // The run it will join is someone else's until then: none of its events are this message's.
    expect(f.take(ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a0', text: 'before', toolCalls: [] } }))).toBe(false);
    expect(f.take(ev({ type: 'message.user', runId: 'r1', data: { messageId: 'm3', text: 'x', delivery: 'steer' } }))).toBe(true);
    expect(f.runId).toBe('r1');
    expect(f.queued).toBe(false);
    // The steer's own denial of a pending approval is not a blocked step.
    f.take(ev({ type: 'approval.resolved', runId: 'r1', data: { approvalId: 'p', decision: 'deny', by: 'steer', reason: 'x' } }));
    expect(f.take(ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: 'after', toolCalls: [] } }))).toBe(true);
    f.take(ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage } }));
    expect(f.outcome).toEqual({ stopReason: 'done', denied: false, finalText: 'after' });
    // A steer that was claimed (runId in the answer) still waits for its message.user.
    const g = new RunFollower('req4');
    g.accepted({ messageId: 'm4', runId: 'r1', queued: false, disposition: 'steering' });
    expect(g.runId).toBeNull();
    // A steer that started a run of its own is followed like any message.
    const h = new RunFollower('req5');
    h.accepted({ messageId: 'm5', runId: 'r2', queued: false, disposition: 'started' });
    expect(h.runId).toBe('r2');
  });
  it('notes a denial by a client or the timeout, not one caused by the run stopping', () => {
    const f = new RunFollower('q');
    f.accepted({ messageId: 'm', runId: 'r', queued: false });
    f.take(ev({ type: 'approval.resolved', runId: 'r', data: { approvalId: 'a1', decision: 'deny', by: 'cancel' } }));
    f.take(ev({ type: 'run.completed', runId: 'r', data: { stopReason: 'done', usage } }));
    expect(f.outcome?.denied).toBe(false);
    const g = new RunFollower('q');
    g.accepted({ messageId: 'm', runId: 'r', queued: false });
    g.take(ev({ type: 'approval.resolved', runId: 'r', data: { approvalId: 'a1', decision: 'deny', by: 'tui@host' } }));
    g.take(ev({ type: 'run.completed', runId: 'r', data: { stopReason: 'done', usage } }));
    expect(g.outcome?.denied).toBe(true);
  });
  it("declining a workspace's .mcp.json is not a denied step of the work", () => {
    const f = new RunFollower('q');
    f.accepted({ messageId: 'm', runId: 'r', queued: false });
    f.take(
      ev({
        type: 'approval.requested',
        runId: 'r',
        data: {
          approvalId: 'p1',
          toolCallId: 'mcp-project-1',
          tool: '.mcp.json',
          summary: 's',
          reasons: [],
          choices: ['once', 'deny'],
          kind: 'mcp_project',
        },
      }),
    );
    f.take(ev({ type: 'approval.resolved', runId: 'r', data: { approvalId: 'p1', decision: 'deny', by: 'send' } }));
    f.take(ev({ type: 'run.completed', runId: 'r', data: { stopReason: 'done', usage } }));
    expect(f.outcome?.denied).toBe(false);
  });
});

describe('exitCodeOf', () => {
  const o = (stopReason: 'done' | 'error' | 'cancelled' | 'interrupted' | 'max_iterations', denied = false) => ({
    stopReason,
    denied,
    finalText: '',
  });
  it('maps outcomes to the contract', () => {
    expect(exitCodeOf(o('done'), false)).toBe(EXIT.ok);
    expect(exitCodeOf(o('error'), false)).toBe(EXIT.failed);
    expect(exitCodeOf(o('max_iterations'), false)).toBe(EXIT.failed);
    expect(exitCodeOf(o('interrupted'), false)).toBe(EXIT.failed);
    expect(exitCodeOf(o('done', true), false)).toBe(EXIT.denied);
    expect(exitCodeOf(o('error', true), false)).toBe(EXIT.denied);
    expect(exitCodeOf(o('cancelled'), true)).toBe(EXIT.interrupted);
    expect(exitCodeOf(o('done', true), true)).toBe(EXIT.interrupted);
  });
});

describe('rendering', () => {
  const c = new Chalk({ level: 0 });
  it("prints a tool start with the daemon's summary, or one from the arguments for an older log", () => {
    const started = (data: Record<string, unknown>) =>
      toolStartedLine(c, ev({ type: 'tool.started', runId: 'r', data: { toolCallId: 't', name: 'search_files', ...data } }) as never);
    expect(started({ args: { pattern: 'TODO', path: 'src' }, summary: 'grep TODO in src (*.ts)' })).toBe(
      '⚙ search_files: grep TODO in src (*.ts)',
    );
    expect(started({ args: { pattern: 'TODO', path: 'src' } })).toBe('⚙ search_files: TODO in src');
    expect(started({ args: {} })).toBe('⚙ search_files');
    expect(started({ args: {}, summary: 'x'.repeat(300) })).toBe(`⚙ search_files: ${'x'.repeat(119)}…`);
  });
  it('prints tool results in one line', () => {
    const done = (data: Record<string, unknown>) =>
      ev({ type: 'tool.completed', runId: 'r', data: { toolCallId: 't', result: 'boom\nmore', durationMs: 300, ...data } }) as Extract<
        HermesEvent,
        { type: 'tool.completed' }
      >;
    expect(toolCompletedLine(c, 'terminal', done({ ok: true }))).toBe('✓ terminal (300ms)');
    expect(toolCompletedLine(c, 'terminal', done({ ok: false, exitCode: 2 }))).toBe('✗ terminal exit 2 (300ms)');
    expect(toolCompletedLine(c, 'read_file', done({ ok: false }))).toBe('✗ read_file: boom more (300ms)');
  });
  it('parses approval answers among the offered choices', () => {
    const two = offeredChoices({ choices: ['once', 'deny'] });
    expect(parseDecision('o', two)).toEqual({ decision: 'once' });
    expect(parseDecision(' Deny ', two)).toEqual({ decision: 'deny' });
    expect(parseDecision('a', two)).toBeNull();
    expect(parseDecision('e', two)).toBeNull();
    expect(choicesLabel(offeredChoices({ choices: ['once', 'session', 'always', 'deny'] }))).toBe('[o]nce [s]ession [a]lways [d]eny');
  });
  it('an MCP tool offers its whole server as `e`', () => {
    const mcp = offeredChoices({ choices: ['once', 'session', 'always', 'deny'], patterns: ['mcp__fs__*'] });
    expect(choicesLabel(mcp)).toBe('[o]nce [s]ession [a]lways [e] every tool of fs [d]eny');
    expect(parseDecision('E', mcp)).toEqual({ decision: 'always', pattern: 'mcp__fs__*' });
    expect(parseDecision('every', mcp)).toEqual({ decision: 'always', pattern: 'mcp__fs__*' });
    expect(parseDecision('always', mcp)).toEqual({ decision: 'always' });
  });
});
