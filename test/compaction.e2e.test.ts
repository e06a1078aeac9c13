import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyTranscript, fold, type HermesEvent } from '@hermes/protocol';
import { isCompactionRequest } from './provider-server/index.mjs';
import { hermes } from './support/cli.js';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface WireMessage {
  role: string;
  content: string | null;
  tool_calls?: { id: string }[];
  tool_call_id?: string;
}
type Recorded = Stack['provider']['requests'][number];
const messagesOf = (r: Recorded) => (r.body as { messages: WireMessage[] }).messages;
const isSummaryCall = (r: Recorded) => isCompactionRequest(r.protocol, r.body);
const mainCalls = (s: Stack) => s.provider.requests.filter((r) => !isSummaryCall(r));
const summaryCalls = (s: Stack) => s.provider.requests.filter(isSummaryCall);

/** Every tool result right after the assistant message that called it; every call answered. */
function expectPairsWhole(messages: WireMessage[]): void {
  let open = new Set<string>();
  for (const m of messages) {
    if (m.role === 'tool') {
      expect(open.has(m.tool_call_id!), `tool result ${m.tool_call_id} without its call`).toBe(true);
      open.delete(m.tool_call_id!);
    } else {
      expect([...open], 'calls without results').toEqual([]);
      open = new Set((m.tool_calls ?? []).map((c) => c.id));
    }
  }
}

/** A tiny known window: a few turns fill it once the system prompt and the tool schemas (~2.5k tokens) are in. */
const TINY_WINDOW = 6000;

/** A config whose model has a tiny known window (TINY_WINDOW tokens), summaries by their own model. */
function tinyConfig(s: { openaiBaseUrl: string } | null, extra: Record<string, unknown> = {}) {
  return {
    model: 'scripted:tiny',
    providers: { scripted: { type: 'openai', baseUrl: s?.openaiBaseUrl ?? 'http://127.0.0.1:9/v1', contextWindow: TINY_WINDOW } },
    compaction: { model: 'scripted:summarizer' },
    ...extra,
  };
}

async function startTiny(extra: Record<string, unknown> = {}, contextWindows?: Record<string, number>): Promise<Stack> {
  const s = await startStack({ config: tinyConfig(null, extra), ...(contextWindows ? { contextWindows } : {}) });
  // The provider's URL is known only now: rewrite the config (read at each run's start).
  await writeFile(
    path.join(s.home, 'config.json'),
    JSON.stringify({ ...tinyConfig(s.provider, extra), timeouts: { firstByteMs: 5000, idleMs: 5000 }, retry: { maxRetries: 0 } }),
  );
  return s;
}

async function workspace(s: Stack, chars = 2400): Promise<string> {
  const ws = path.join(s.work, 'ws');
  await mkdir(ws, { recursive: true });
  for (let i = 0; i < 6; i++)
    await writeFile(path.join(ws, `f${i}.txt`), `file ${i}\n${'lorem ipsum dolor sit amet '.repeat(Math.ceil(chars / 27))}\n`);
  return ws;
}

async function send(s: Stack, id: string, text: string): Promise<{ events: HermesEvent[]; done: HermesEvent }> {
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  const r = await api.post(s.daemon.state, id, text);
  expect(r.status).toBe(202);
  const done = await sse.until((e) => e.type === 'run.completed', 30_000);
  sse.close();
  return { events: sse.events, done };
}

const readTool = (n: number) => `/tool read_file {"path":"f${n}.txt"}`;
const stopOf = (e: HermesEvent) => (e.type === 'run.completed' ? e.data.stopReason : null);

describe('context compaction (real daemon, scripted provider)', () => {
  it('compacts at the threshold: the next request is smaller, starts with the summary, keeps the last turns byte-identical and never splits a call from its result', async () => {
    stack = await startTiny();
    const ws = await workspace(stack, 400);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    let compactedAt = -1;
    for (let i = 0; i < 12 && compactedAt < 0; i++) {
      const before = stack.provider.requests.length;
      // Small tool results (nothing worth pruning) and replies: only a summary helps.
      stack.provider.script(
        [
          { type: 'tool_calls', calls: [{ name: 'read_file', args: { path: `f${i % 6}.txt` } }] },
          { type: 'long', tokens: 80 },
        ],
        { model: 'tiny' },
      );
      const { events, done } = await send(stack, id, `step ${i}: read f${i % 6}.txt`);
      expect(stopOf(done)).toBe('done');
      if (events.some((e) => e.type === 'compaction.completed')) compactedAt = before;
    }
    expect(compactedAt).toBeGreaterThan(0);
    const t = (await api.get(stack.daemon.state, id)).transcript;
    const items = t.items.filter((i: { kind: string }) => i.kind === 'compaction');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ trigger: 'auto', status: 'completed' });
    expect(items[0].tokensAfter).toBeLessThan(items[0].tokensBefore);

    const calls = stack.provider.requests;
    const summaryAt = calls.findIndex(isSummaryCall);
    const pre = calls
      .slice(0, summaryAt)
      .filter((r) => !isSummaryCall(r))
      .at(-1)!;
    const post = calls.slice(summaryAt).find((r) => !isSummaryCall(r))!;
    const preMsgs = messagesOf(pre);
    const postMsgs = messagesOf(post);
    expect(JSON.stringify(post.body).length).toBeLessThan(JSON.stringify(pre.body).length);
    expect(postMsgs[0]!.role).toBe('system');
    expect(postMsgs[0]!.content).toBe(preMsgs[0]!.content);
    expect(postMsgs[1]!.role).toBe('user');
    expect(postMsgs[1]!.content).toContain('<conversation_summary>');
    expect(postMsgs[1]!.content).toContain('Scripted summary');
    // The kept tail: the same bytes as when it was first sent (what was added since is new).
    const kept = postMsgs.slice(2);
    expect(kept.length).toBeGreaterThan(0);
    // The longest start of the kept part that ends the earlier request (replies repeat the same text, so match whole runs).
    let n = kept.length;
    while (n > 0 && JSON.stringify(preMsgs.slice(preMsgs.length - n)) !== JSON.stringify(kept.slice(0, n))) n--;
    expect(n).toBeGreaterThan(0);
    expect(kept[0]!.role).toBe('user');
    for (const r of mainCalls(stack)) expectPairsWhole(messagesOf(r));

    // Replaying the whole log gives the transcript the daemon has, divider included.
    const replay = readSse(stack.daemon.state, id, { after: 0 });
    await replay.until((e) => e.seq === t.lastSeq);
    replay.close();
    const folded = fold(emptyTranscript(id), replay.events);
    expect(folded.items).toEqual(t.items);
  }, 90_000);

  it('a long session on a tiny window: twenty turns with tool calls, no error, compactions as needed', async () => {
    stack = await startTiny();
    const ws = await workspace(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    for (let i = 0; i < 20; i++) {
      const { done } = await send(stack, id, i % 2 ? readTool(i % 6) : `note ${i}: ${'words '.repeat(40)}`);
      expect(stopOf(done), JSON.stringify(done.data)).toBe('done');
    }
    const t = (await api.get(stack.daemon.state, id)).transcript;
    const compactions = t.items.filter((i: { kind: string; status: string }) => i.kind === 'compaction' && i.status === 'completed');
    expect(compactions.length).toBeGreaterThanOrEqual(2);
    // No request went over the window the daemon was told of.
    for (const r of mainCalls(stack)) expect(JSON.stringify(r.body).length / 4).toBeLessThan(TINY_WINDOW);
    // Old tool outputs were stubbed out (pruning is tried before a summary).
    expect(compactions.some((c: { prunedToolCallIds?: string[] }) => (c.prunedToolCallIds ?? []).length > 0)).toBe(true);
    expect(mainCalls(stack).some((r) => JSON.stringify(r.body).includes('cleared to save context'))).toBe(true);
    // A later summary request updates the earlier summary instead of losing it.
    expect(messagesOf(summaryCalls(stack).at(-1)!)[1]!.content).toContain('<previous_summary>');
  }, 180_000);

  it('between tool iterations the running turn stays whole: its message is the last user turn after the summary', async () => {
    stack = await startTiny();
    const ws = await workspace(stack, 400);
    for (let i = 0; i < 8; i++) await writeFile(path.join(ws, `b${i}.txt`), `big ${i}\n${'consectetur adipiscing elit '.repeat(40)}\n`);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    for (let i = 0; i < 3; i++) {
      stack.provider.script(
        [
          { type: 'tool_calls', calls: [{ name: 'read_file', args: { path: `f${i}.txt` } }] },
          { type: 'long', tokens: 80 },
        ],
        {
          model: 'tiny',
        },
      );
      expect(stopOf((await send(stack, id, `step ${i}`)).done)).toBe('done');
    }
    const asked = 'the big task: read every b file, one by one';
    const firstOfRun = stack.provider.requests.length;
    stack.provider.script(
      [
        ...Array.from({ length: 8 }, (_, i) => ({
          type: 'tool_calls' as const,
          calls: [{ name: 'read_file', args: { path: `b${i}.txt` } }],
        })),
        { type: 'text' as const, text: 'all read' },
      ],
      { model: 'tiny' },
    );
    const { events, done } = await send(stack, id, asked);
    expect(stopOf(done), JSON.stringify(done.data)).toBe('done');
    expect(events.some((e) => e.type === 'compaction.completed')).toBe(true);
    const run = stack.provider.requests.slice(firstOfRun);
    // The first request of the run went out before any compaction: it compacted between iterations.
    expect(isSummaryCall(run[0]!)).toBe(false);
    const summarised = run.filter((r) => !isSummaryCall(r) && String(messagesOf(r)[1]?.content).includes('<conversation_summary>'));
    expect(summarised.length).toBeGreaterThan(0);
    for (const r of summarised) {
      const msgs = messagesOf(r);
      expect(msgs[1]!.content).not.toContain(asked);
      // Right after the summary: the turn's own message, then its calls and results.
      expect(msgs[2]).toMatchObject({ role: 'user', content: asked });
      expect(msgs.slice(3).every((m) => m.role === 'assistant' || m.role === 'tool')).toBe(true);
      expectPairsWhole(msgs);
    }
    // No summary request was given the running turn's message to summarise away.
    for (const r of run.filter(isSummaryCall)) expect(JSON.stringify(r.body)).not.toContain(asked);
  }, 120_000);

  it('overflow: a context_length_exceeded before any output gets one compaction and one retry', async () => {
    // The daemon believes in a large window; the provider refuses past 3500 tokens (a second
    // turn's tool result crosses it: the first turn is there to be summarised, the running one stays).
    stack = await startTiny({ providers: undefined }, { tiny: 3500 });
    await writeFile(
      path.join(stack.home, 'config.json'),
      JSON.stringify({
        ...tinyConfig(stack.provider),
        providers: { scripted: { type: 'openai', baseUrl: stack.provider.openaiBaseUrl, contextWindow: 100_000 } },
        retry: { maxRetries: 0 },
      }),
    );
    const ws = await workspace(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    let overflowRun: HermesEvent[] | null = null;
    for (let i = 0; i < 6 && !overflowRun; i++) {
      const { events, done } = await send(stack, id, readTool(i));
      expect(stopOf(done), JSON.stringify(done.data)).toBe('done');
      if (events.some((e) => e.type === 'compaction.started')) overflowRun = events;
    }
    expect(overflowRun).not.toBeNull();
    const started = overflowRun!.find((e) => e.type === 'compaction.started')!;
    expect(started.type === 'compaction.started' && started.data.trigger).toBe('overflow');
    expect(overflowRun!.some((e) => e.type === 'compaction.completed')).toBe(true);
    const refusedAt = stack.provider.requests.findIndex((r) => r.turn.type === 'context_length_exceeded');
    expect(isSummaryCall(stack.provider.requests[refusedAt + 1]!)).toBe(true);
    const retry = stack.provider.requests[refusedAt + 2]!;
    expect(retry.turn.type).not.toBe('context_length_exceeded');
    expect(messagesOf(retry)[1]!.content).toContain('<conversation_summary>');
  }, 90_000);

  it('a second overflow ends the run with the error and a hint; with compaction.auto off there is no compaction at all', async () => {
    stack = await startTiny();
    const ws = await workspace(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    for (const n of ['first', 'second', 'third']) await send(stack, id, `${n} message ${'words '.repeat(150)}`);
    stack.provider.script([{ type: 'context_length_exceeded' }, { type: 'context_length_exceeded' }], { model: 'tiny' });
    const before = stack.provider.requests.length;
    const { done } = await send(stack, id, 'fourth message');
    expect(done.type === 'run.completed' && done.data.error).toMatchObject({ kind: 'context_length_exceeded' });
    expect(done.type === 'run.completed' && done.data.error?.hint).toContain('/compact');
    const calls = stack.provider.requests.slice(before);
    expect(calls.map((r) => (isSummaryCall(r) ? 'summary' : r.turn.type))).toEqual([
      'context_length_exceeded',
      'summary',
      'context_length_exceeded',
    ]);

    await writeFile(
      path.join(stack.home, 'config.json'),
      JSON.stringify({
        ...tinyConfig(stack.provider),
        compaction: { auto: false, model: 'scripted:summarizer' },
        retry: { maxRetries: 0 },
      }),
    );
    stack.provider.script([{ type: 'context_length_exceeded' }], { model: 'tiny' });
    const before2 = stack.provider.requests.length;
    const second = await send(stack, id, 'fifth message');
    expect(second.done.type === 'run.completed' && second.done.data.error?.kind).toBe('context_length_exceeded');
    expect(second.events.some((e) => e.type === 'compaction.started')).toBe(false);
    expect(stack.provider.requests.length - before2).toBe(1);
  }, 90_000);

  it('a summary that does not shrink is not applied; three in a row turn auto off with a notice; a manual compaction still runs', async () => {
    stack = await startTiny();
    const ws = await workspace(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    const huge = { type: 'text' as const, text: 'padding '.repeat(3000) };
    stack.provider.script([huge, huge, huge], { model: 'summarizer' });
    const failures: HermesEvent[] = [];
    let notice: HermesEvent | undefined;
    for (let i = 0; i < 8 && failures.length < 3; i++) {
      // Text only: no tool output that pruning alone could clear.
      const { events, done } = await send(stack, id, `note ${i}: ${'words '.repeat(120)}`);
      expect(stopOf(done)).toBe('done');
      failures.push(...events.filter((e) => e.type === 'compaction.failed'));
      notice ??= events.find((e) => e.type === 'notice' && e.data.message.includes('Automatic compaction is off'));
      expect(events.some((e) => e.type === 'compaction.completed')).toBe(false);
    }
    expect(failures).toHaveLength(3);
    expect(failures.every((e) => e.type === 'compaction.failed' && e.data.error.kind === 'not_reduced')).toBe(true);
    expect(notice).toBeDefined();
    // Not applied: no request carries a summary.
    for (const r of mainCalls(stack)) expect(JSON.stringify(r.body)).not.toContain('<conversation_summary>');
    const { events } = await send(stack, id, `note again: ${'words '.repeat(120)}`);
    expect(events.some((e) => e.type === 'compaction.started')).toBe(false);

    const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, {
      body: JSON.stringify({ focus: 'the lorem files' }),
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ status: 'completed' });
    const focusCall = summaryCalls(stack).at(-1)!;
    expect(messagesOf(focusCall)[1]!.content).toContain('focus on: the lorem files');
    // Auto works again after a success.
    const t = (await api.get(stack.daemon.state, id)).transcript;
    expect(t.items.at(-1)).toMatchObject({ kind: 'compaction', trigger: 'manual', status: 'completed', focus: 'the lorem files' });
  }, 120_000);

  it('manual compaction: 409 while a run is active, 400 for a bad body, 404 for no session', async () => {
    stack = await startTiny();
    const { id } = await api.createSession(stack.daemon.state, {});
    stack.provider.script([{ type: 'stall', ms: 60_000 }], { model: 'tiny' });
    const sse = readSse(stack.daemon.state, id);
    await api.post(stack.daemon.state, id, 'hang');
    await sse.until((e) => e.type === 'run.started');
    const busy = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, { body: '{}' });
    expect(busy.status).toBe(409);
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' });
    await sse.until((e) => e.type === 'run.completed');
    sse.close();
    expect((await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, { body: '{"focus":7}' })).status).toBe(400);
    expect((await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, { body: '{"extra":1}' })).status).toBe(400);
    expect((await rawRequest(stack.daemon.state, 'POST', '/v1/sessions/20990101_000000_abcdef/compact', { body: '{}' })).status).toBe(404);
    // Nothing to summarise yet: a clear failure, the history untouched.
    const none = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, { body: '{}' });
    expect(none.status).toBe(200);
    expect(none.json()).toMatchObject({ status: 'failed', error: { kind: 'nothing_to_compact' } });
  }, 60_000);

  it('a crash mid-compaction leaves the session usable: the start folds to failed, the next run has no summary', async () => {
    stack = await startTiny();
    const ws = await workspace(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    await send(stack, id, `one: ${'words '.repeat(150)}`);
    await send(stack, id, `two: ${'words '.repeat(150)}`);
    stack.provider.script([{ type: 'stall' }], { model: 'summarizer' });
    const sse = readSse(stack.daemon.state, id);
    void rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, { body: '{}' }).catch(() => undefined);
    await sse.until((e) => e.type === 'compaction.started');
    sse.close();
    await stack.daemon.kill('SIGKILL');
    await stack.restart();
    const t = (await api.get(stack.daemon.state, id)).transcript;
    expect(t.status).toBe('idle');
    expect(t.items.find((i: { kind: string }) => i.kind === 'compaction')).toMatchObject({ status: 'failed' });
    const before = stack.provider.requests.length;
    const { done } = await send(stack, id, 'still there?');
    expect(stopOf(done)).toBe('done');
    const next = stack.provider.requests.slice(before).find((r) => !isSummaryCall(r))!;
    expect(JSON.stringify(next.body)).not.toContain('<conversation_summary>');
    expect(messagesOf(next).at(-1)).toMatchObject({ role: 'user', content: 'still there?' });
  }, 60_000);

  it('the CLI: `hermes send` prints the compaction line, `hermes sessions compact ID --focus` compacts by hand, `sessions show` has the divider', async () => {
    stack = await startTiny();
    const ws = await workspace(stack);
    const cwd = ws;
    let sid = '';
    let sawLine = false;
    for (let i = 0; i < 8 && !sawLine; i++) {
      const r = await hermes(['send', ...(sid ? ['-s', sid] : []), `note ${i}: ${'words '.repeat(120)}`], { home: stack.home, cwd });
      expect(r.code, r.stderr).toBe(0);
      sid ||=
        /session (\S+)/.exec(r.stderr)?.[1] ??
        (await api.get(stack.daemon.state, (await rawRequest(stack.daemon.state, 'GET', '/v1/sessions')).json().sessions[0].id)).session.id;
      sawLine = /✻ context compacted \(auto\) · [\d.]+k? → [\d.]+k? tokens/.test(r.stderr);
    }
    expect(sawLine).toBe(true);
    await hermes(['send', '-s', sid, `more: ${'words '.repeat(120)}`], { home: stack.home, cwd });
    const manual = await hermes(['sessions', 'compact', sid, '--focus', 'the notes'], { home: stack.home });
    expect(manual.code, manual.stderr).toBe(0);
    expect(manual.stdout).toMatch(/context compacted \(manual\)/);
    expect(messagesOf(summaryCalls(stack).at(-1)!)[1]!.content).toContain('focus on: the notes');
    const show = await hermes(['sessions', 'show', sid], { home: stack.home });
    expect(show.stdout).toMatch(/✻ context compacted \(manual\)/);
    expect((await hermes(['sessions', 'compact', 'nope'], { home: stack.home })).code).not.toBe(0);
  }, 120_000);
});
