import { emptyTranscript, fold, type Transcript } from '@hermes/protocol';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App, type AppProps, type BottomMode } from './App.js';
import { Chat } from './Chat.js';
import { emptyDraft } from './keys/editor.js';
import type { SessionStore } from './store/session-store.js';
import { base, ev, fakeStore, SID, snapshotOf, strip, tick, waitFor } from './testing/fake-store.test-helpers.js';

const input: BottomMode = { kind: 'input', draft: emptyDraft, completions: null, placeholder: 'Type a message' };

function frame(t: Transcript, extra: Partial<AppProps> = {}): string {
  const props: AppProps = {
    snapshot: snapshotOf(t),
    width: 80,
    rows: 24,
    reasoning: 'full',
    bottom: input,
    hint: null,
    now: 0,
    frame: 0,
    ...extra,
  };
  const r = render(<App {...props} />);
  const out = strip(r.frames.join(''));
  r.unmount();
  return out;
}

describe('App', () => {
  it('streams a reply: finished paragraphs go to the scrollback, the tail stays live', () => {
    const events = [
      ...base(),
      ev({ type: 'message.delta', runId: 'r1', data: { messageId: 'a1', text: 'First **para**.\n\nSecond is stre' } }),
    ];
    const t = fold(emptyTranscript(SID), events);
    const snap = snapshotOf(t);
    expect(snap.staticEntries.map((e) => e.kind)).toEqual(['item', 'chunk']);
    const out = frame(t);
    expect(out).toContain('First para.');
    expect(out).toContain('Second is stre');
    expect(out).toContain('● streaming');
    expect(out).toContain('demo');
  });

  it('shows a running tool card, then ✓ with exit code, duration and a coloured diff', () => {
    const running = fold(emptyTranscript(SID), [
      ...base(),
      ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: '', toolCalls: [] } }),
      ev({ type: 'tool.started', runId: 'r1', data: { toolCallId: 't1', name: 'terminal', args: { command: 'ls -la' } } }),
      ev({ type: 'tool.output', runId: 'r1', data: { toolCallId: 't1', text: 'file-a\nfile-b\n' } }),
    ]);
    const out = frame(running);
    expect(out).toContain('terminal  ls -la');
    expect(out).toContain('file-b');
    expect(out).toContain('● running tool');
    const done = fold(running, [
      ev({ type: 'tool.completed', runId: 'r1', data: { toolCallId: 't1', ok: true, result: 'ok', durationMs: 1200, exitCode: 0 } }),
      ev({ type: 'tool.started', runId: 'r1', data: { toolCallId: 't2', name: 'write_file', args: { path: 'a.txt' } } }),
      ev({
        type: 'tool.completed',
        runId: 'r1',
        data: { toolCallId: 't2', ok: true, result: 'ok', durationMs: 5, diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n' },
      }),
    ]);
    const out2 = frame(done);
    expect(out2).toContain('✓ terminal  ls -la  · exit 0 · 1.2s');
    expect(out2).toContain('+new');
    expect(out2).toContain('-old');
  });

  it('clamps a tall live region below the terminal height', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const t = fold(emptyTranscript(SID), [
      ...base(),
      ev({ type: 'message.delta', runId: 'r1', data: { messageId: 'a1', text: '```\n' + long } }),
    ]);
    const props: AppProps = {
      snapshot: snapshotOf(t),
      width: 80,
      rows: 20,
      reasoning: 'full',
      bottom: input,
      hint: null,
      now: 0,
      frame: 0,
    };
    const r = render(<App {...props} />);
    const last = strip(r.lastFrame());
    r.unmount();
    // In debug mode the frame is the static output, then the live region, which starts at
    // the "hidden" marker here.
    const rowsAll = last.split('\n');
    const liveRows = rowsAll.length - rowsAll.findIndex((l) => /… \d+ lines hidden/.test(l));
    expect(liveRows).toBeLessThanOrEqual(19);
    expect(last).toMatch(/… \d+ lines hidden/);
    expect(last).toContain('line 199');
  });

  it('status line states: idle, awaiting approval, reconnecting', () => {
    const idle = fold(emptyTranscript(SID), [
      ...base(),
      ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1200, outputTokens: 30 } } }),
      ev({ type: 'usage.updated', data: { inputTokens: 1200, outputTokens: 30, costUsd: 0.012 } }),
    ]);
    const out = frame(idle);
    expect(out).toContain('● idle');
    expect(out).toContain('1.2k tok');
    expect(out).toContain('$0.012');
    const snap = { ...snapshotOf(idle), connection: 'reconnecting' as const };
    const r = render(<App snapshot={snap} width={80} rows={24} reasoning="full" bottom={input} hint={null} now={0} frame={0} />);
    expect(strip(r.lastFrame())).toContain('● reconnecting');
    r.unmount();
  });
});

describe('approval prompt', () => {
  const approval = () =>
    ev({
      type: 'approval.requested',
      runId: 'r1',
      data: {
        approvalId: 'ap1',
        toolCallId: 'tc1',
        tool: 'terminal',
        summary: 'rm -rf build',
        reasons: ['recursive delete'],
        choices: ['once', 'session', 'always', 'deny'],
        pattern: 'rm -rf build',
      },
    });

  it('a stray Enter does nothing; o answers once', async () => {
    const { store, answers } = fakeStore([...base(), approval()]);
    const r = render(<Chat store={store as unknown as SessionStore} home="/nonexistent-hermes-home" size={{ columns: 80, rows: 24 }} />);
    await tick();
    expect(strip(r.lastFrame())).toContain('Approval needed');
    expect(strip(r.lastFrame())).toContain('$ rm -rf build');
    r.stdin.write('\r');
    await tick();
    expect(answers).toEqual([]);
    r.stdin.write('o');
    await tick();
    expect(answers).toEqual(['once']);
    r.unmount();
  });

  it('arrows then Enter; Esc denies', async () => {
    const { store, answers } = fakeStore([...base(), approval()]);
    const r = render(<Chat store={store as unknown as SessionStore} home="/nonexistent-hermes-home" size={{ columns: 80, rows: 24 }} />);
    await tick();
    r.stdin.write('\x1b[B');
    await tick();
    r.stdin.write('\x1b[B');
    await tick();
    r.stdin.write('\r');
    await tick();
    expect(answers).toEqual(['session']);
    r.stdin.write('\x1b');
    await tick();
    expect(answers).toEqual(['session', 'deny']);
    r.unmount();
  });

  it('closes when another client answers, and says who', async () => {
    const { store } = fakeStore([...base(), approval()]);
    const r = render(<Chat store={store as unknown as SessionStore} home="/nonexistent-hermes-home" size={{ columns: 80, rows: 24 }} />);
    await tick();
    store.push([ev({ type: 'approval.resolved', runId: 'r1', data: { approvalId: 'ap1', decision: 'deny', by: 'send' } })]);
    await tick();
    const out = strip(r.frames.join(''));
    expect(strip(r.lastFrame())).not.toContain('Approval needed');
    expect(out).toContain('Deny terminal: rm -rf build, by send');
    r.unmount();
  });
});

describe('queued messages', () => {
  it('↑ on an empty prompt takes the last queued message back into the draft', async () => {
    const { store, withdrawn } = fakeStore([
      ...base(),
      ev({ type: 'message.queued', data: { messageId: 'q1', text: 'first queued' } }),
      ev({ type: 'message.queued', data: { messageId: 'q2', text: 'second queued' } }),
    ]);
    const r = render(<Chat store={store as unknown as SessionStore} home="/nonexistent-hermes-home" size={{ columns: 80, rows: 24 }} />);
    await tick();
    expect(strip(r.lastFrame())).toContain('⏳ queued: second queued');
    expect(strip(r.lastFrame())).toContain('↑ on an empty prompt takes the last one back to edit');
    r.stdin.write('\x1b[A');
    await waitFor(() => /› second queued/.test(strip(r.lastFrame())), 'the message back in the draft');
    expect(withdrawn).toEqual(['q2']);
    const screen = strip(r.lastFrame());
    expect(screen).not.toContain('⏳ queued: second queued');
    expect(screen).toContain('⏳ queued: first queued');
    expect(screen).toMatch(/› second queued/);
    r.unmount();
  });
});

describe('/model', () => {
  it("lists the daemon's models, filters as you type, and Enter sets the chosen one", async () => {
    const { store, patched } = fakeStore(base());
    const r = render(<Chat store={store as unknown as SessionStore} home="/nonexistent-hermes-home" size={{ columns: 80, rows: 24 }} />);
    await tick();
    r.stdin.write('/model ');
    await waitFor(() => strip(r.lastFrame()).includes('anthropic:claude-sonnet-4-5'), 'the model list');
    let screen = strip(r.lastFrame());
    expect(screen).toContain('openai:gpt-4.1');
    expect(screen).toContain('anthropic:claude-sonnet-4-5');
    r.stdin.write('mini');
    await waitFor(() => !strip(r.lastFrame()).includes('anthropic:claude-sonnet-4-5'), 'the filtered list');
    screen = strip(r.lastFrame());
    expect(screen).toContain('openai:gpt-4.1-mini');
    expect(screen).not.toContain('anthropic:claude-sonnet-4-5');
    r.stdin.write('\r');
    await waitFor(() => patched.length > 0, 'the model set');
    expect(patched).toEqual([{ model: 'openai:gpt-4.1-mini' }]);
    r.unmount();
  });
});

describe('long sessions', () => {
  it('draws a compaction as a dim divider line and shows the context meter in the status line', () => {
    const t = fold(emptyTranscript(SID), [
      ...base(),
      ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: 'Earlier answer.', toolCalls: [] } }),
      ev({
        type: 'usage.updated',
        runId: 'r1',
        data: { inputTokens: 182_000, outputTokens: 400, contextTokens: 182_400, contextWindow: 200_000 },
      }),
      ev({ type: 'compaction.started', runId: 'r1', data: { compactionId: 'c1', trigger: 'auto', tokensBefore: 182_400 } }),
      ev({
        type: 'compaction.completed',
        runId: 'r1',
        data: { compactionId: 'c1', summary: '## Goal', keptFromSeq: 2, tokensBefore: 182_400, tokensAfter: 14_000 },
      }),
      ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } }),
    ]);
    const out = frame(t);
    expect(out).toContain('Earlier answer.');
    expect(out).toContain('✻ context compacted (auto) · 182k → 14k tokens');
    expect(out.indexOf('Earlier answer.')).toBeLessThan(out.indexOf('context compacted'));
    expect(out).toContain('ctx 7%');
  });

  it("asks the loop guard's question with Continue / Stop the run", () => {
    const t = fold(emptyTranscript(SID), [
      ...base(),
      ev({
        type: 'approval.requested',
        runId: 'r1',
        data: {
          approvalId: 'p1',
          toolCallId: 't1',
          tool: 'read_file',
          summary: 'read_file failed 3 times in a row with the same arguments. Let the agent go on?',
          reasons: ['the agent may be stuck in a loop'],
          choices: ['once', 'deny'],
          kind: 'loop_guard',
        },
      }),
    ]);
    const snapshot = snapshotOf(t);
    const r = render(
      <App
        snapshot={snapshot}
        width={100}
        rows={30}
        reasoning="full"
        bottom={{ kind: 'approval', approval: t.pendingApprovals[0]!, selection: null, index: 0, count: 1 }}
        hint={null}
        now={0}
        frame={0}
      />,
    );
    const out = strip(r.lastFrame());
    r.unmount();
    expect(out).toContain('Stuck in a loop?');
    expect(out).toContain('Continue');
    expect(out).toContain('Stop the run');
  });
});

describe('a compaction in progress', () => {
  it('stays in the live region until it ends, then goes to the scrollback with its result', () => {
    const running = fold(emptyTranscript(SID), [
      ...base(),
      ev({ type: 'message.completed', runId: 'r1', data: { messageId: 'a1', text: 'Hi.', toolCalls: [] } }),
      ev({ type: 'compaction.started', runId: 'r1', data: { compactionId: 'c1', trigger: 'auto', tokensBefore: 9000 } }),
    ]);
    const snap = snapshotOf(running);
    expect(snap.staticEntries.some((e) => e.kind === 'item' && e.item.kind === 'compaction')).toBe(false);
    expect(frame(running)).toContain('compacting the context (auto)');
    const done = fold(running, [
      ev({
        type: 'compaction.completed',
        runId: 'r1',
        data: { compactionId: 'c1', summary: 's', keptFromSeq: 2, tokensBefore: 9000, tokensAfter: 1000 },
      }),
    ]);
    const after = snapshotOf(done);
    expect(after.staticEntries.some((e) => e.kind === 'item' && e.item.kind === 'compaction' && e.item.status === 'completed')).toBe(true);
  });
});
