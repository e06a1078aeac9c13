import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HermesEvent } from '@hermes/protocol';
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
  tool_calls?: { id: string; function: { name: string } }[];
}
type Recorded = Stack['provider']['requests'][number];
const messagesOf = (r: Recorded) => (r.body as { messages: WireMessage[] }).messages;
const isSummaryCall = (r: Recorded) => isCompactionRequest(r.protocol, r.body);

/** A small known window (compaction has something to do) and summaries by their own model. */
async function startTiny(): Promise<Stack> {
  const s = await startStack();
  const config = {
    model: 'scripted:tiny',
    providers: { scripted: { type: 'openai', baseUrl: s.provider.openaiBaseUrl, contextWindow: 4000 } },
    compaction: { model: 'scripted:summarizer' },
    timeouts: { firstByteMs: 5000, idleMs: 5000 },
    retry: { maxRetries: 0 },
  };
  await writeFile(path.join(s.home, 'config.json'), JSON.stringify(config));
  return s;
}

async function send(s: Stack, id: string, text: string): Promise<HermesEvent[]> {
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  expect((await api.post(s.daemon.state, id, text)).status).toBe(202);
  await sse.until((e) => e.type === 'run.completed', 30_000);
  sse.close();
  return sse.events;
}

const PLAN = [
  { content: 'Read the parser', status: 'completed' },
  { content: 'Fix the off-by-one in tokenize()', status: 'in_progress' },
  { content: 'Add a regression test', status: 'pending' },
];

describe('todo plan (real daemon, scripted provider)', () => {
  it('todo_write emits plan.updated, GET /v1/sessions/:id has the plan, and a compaction keeps it verbatim in the model history', async () => {
    stack = await startTiny();
    const { id } = await api.createSession(stack.daemon.state, { workspace: stack.work });
    stack.provider.script(
      [
        { type: 'tool_calls', calls: [{ name: 'todo_write', args: { todos: PLAN } }] },
        { type: 'text', text: 'planned' },
      ],
      { model: 'tiny' },
    );
    const events = await send(stack, id, 'fix the tokenizer');
    const updated = events.find((e) => e.type === 'plan.updated');
    expect(updated?.data).toMatchObject({ todos: PLAN });
    // No approval was asked for it, and the model read the list back.
    expect(events.some((e) => e.type === 'approval.requested')).toBe(false);
    expect(events.find((e) => e.type === 'tool.completed')?.data).toMatchObject({
      ok: true,
      result: expect.stringContaining('(1/3 completed)'),
    });
    let t = (await api.get(stack.daemon.state, id)).transcript;
    expect(t.plan).toMatchObject({ todos: PLAN, seq: updated!.seq });

    // A bad list is the model's error to fix, not a new plan.
    stack.provider.script(
      [
        {
          type: 'tool_calls',
          calls: [
            {
              name: 'todo_write',
              args: {
                todos: [
                  { content: 'a', status: 'in_progress' },
                  { content: 'b', status: 'in_progress' },
                ],
              },
            },
          ],
        },
        { type: 'text', text: 'oops' },
      ],
      { model: 'tiny' },
    );
    const bad = await send(stack, id, 'again');
    expect(bad.some((e) => e.type === 'plan.updated')).toBe(false);
    expect(bad.find((e) => e.type === 'tool.completed')?.data).toMatchObject({ ok: false, result: expect.stringContaining('at most one') });

    for (const n of ['one', 'two', 'three', 'four']) await send(stack, id, `note ${n}: ${'words '.repeat(150)}`);
    // The notes may have filled the tiny window already (an auto compaction); else compact by hand.
    const compacted = (tr: typeof t) =>
      tr.items.some((i: { kind: string; status?: string }) => i.kind === 'compaction' && i.status === 'completed');
    if (!compacted((await api.get(stack.daemon.state, id)).transcript)) {
      const r = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/compact`, { body: '{}' });
      expect(r.json(), JSON.stringify(r.json())).toMatchObject({ status: 'completed' });
    }
    t = (await api.get(stack.daemon.state, id)).transcript;
    expect(compacted(t)).toBe(true);
    expect(t.plan?.todos).toEqual(PLAN);

    const before = stack.provider.requests.length;
    await send(stack, id, 'go on');
    const next = stack.provider.requests.slice(before).find((q) => !isSummaryCall(q))!;
    const msgs = messagesOf(next);
    // The todo_write call itself was summarised away; the list is still there, exact.
    expect(msgs.some((m) => (m.tool_calls ?? []).some((c) => c.function.name === 'todo_write'))).toBe(false);
    const summary = msgs[1]!.content!;
    expect(summary).toContain('<conversation_summary>');
    const block = /<todos>\n([\s\S]*?)\n<\/todos>/.exec(summary)?.[1];
    expect(block?.split('\n').map((l) => JSON.parse(l))).toEqual(PLAN);
  }, 120_000);

  it('hermes send prints plan changes on stderr (never on stdout), nothing with --quiet, the events with --json', async () => {
    stack = await startStack();
    const next = [{ ...PLAN[0]! }, { ...PLAN[1]!, status: 'completed' }, { ...PLAN[2]!, status: 'in_progress' }];
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'todo_write', args: { todos: PLAN } }] },
      { type: 'tool_calls', calls: [{ name: 'todo_write', args: { todos: next } }] },
      { type: 'text', text: 'All planned.' },
    ]);
    const r = await hermes(['send', 'fix the tokenizer'], { home: stack.home, cwd: stack.work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('All planned.');
    const err = r.stderr.split('\n');
    // The first list in full, then only what moved.
    const first = err.findIndex((l) => l === '☰ plan 1/3 · ◐ Fix the off-by-one in tokenize()');
    expect(first, r.stderr).toBeGreaterThanOrEqual(0);
    expect(err.slice(first + 1, first + 4)).toEqual([
      '  ✔ Read the parser',
      '  ◐ Fix the off-by-one in tokenize()',
      '  ○ Add a regression test',
    ]);
    const second = err.findIndex((l) => l === '☰ plan 2/3 · ◐ Add a regression test');
    expect(second).toBeGreaterThan(first);
    expect(err.slice(second + 1, second + 3)).toEqual(['  ✔ Fix the off-by-one in tokenize()', '  ◐ Add a regression test']);
    expect(r.stderr).not.toContain('⚙ todo_write');
    for (const t of PLAN) expect(r.stdout).not.toContain(t.content);

    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'todo_write', args: { todos: PLAN } }] },
      { type: 'text', text: 'quiet.' },
    ]);
    const q = await hermes(['send', '-q', 'again'], { home: stack.home, cwd: stack.work });
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout.trim()).toBe('quiet.');
    expect(q.stderr).not.toContain('☰');

    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'todo_write', args: { todos: next } }] },
      { type: 'text', text: 'json.' },
    ]);
    const j = await hermes(['send', '--json', 'once more'], { home: stack.home, cwd: stack.work });
    expect(j.code, j.stderr).toBe(0);
    const events = j.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HermesEvent);
    expect(events.find((e) => e.type === 'plan.updated')?.data).toMatchObject({ todos: next });
    expect(j.stderr).not.toContain('☰');
  }, 90_000);
});
