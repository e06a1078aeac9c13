import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HermesEvent } from '@hermes/protocol';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Recorded = Stack['provider']['requests'][number];
const messagesOf = (r: Recorded) => (r.body as { messages: { role: string; content: string; tool_call_id?: string }[] }).messages;
const systemOf = (r: Recorded) => messagesOf(r)[0]!.content;

async function send(s: Stack, id: string, text: string, extra: object = {}): Promise<{ events: HermesEvent[]; done: HermesEvent }> {
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  expect((await api.post(s.daemon.state, id, text, extra)).status).toBe(202);
  const done = await sse.until((e) => e.type === 'run.completed', 30_000);
  sse.close();
  return { events: sse.events, done };
}

async function project(s: Stack): Promise<string> {
  const root = path.join(s.work, 'repo');
  await mkdir(path.join(root, '.git'), { recursive: true });
  await mkdir(path.join(root, 'pkg/api'), { recursive: true });
  await writeFile(path.join(root, 'AGENTS.md'), 'Always answer in French.\n');
  await writeFile(path.join(root, 'pkg/api/AGENTS.md'), 'API code: never break the wire format.\n');
  await writeFile(path.join(root, 'pkg/api/x.ts'), 'export const x = 1;\n');
  await writeFile(path.join(root, 'pkg/api/y.ts'), 'export const y = 2;\n');
  return root;
}

describe('project instructions (real daemon, scripted provider)', () => {
  it('puts AGENTS.md in the system prompt, byte-identical across runs, logs instructions.loaded only when it changed', async () => {
    stack = await startStack();
    const ws = await project(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: path.join(ws, 'pkg') });
    const first = await send(stack, id, 'hello');
    const second = await send(stack, id, 'again');
    const [a, b] = stack.provider.requests;
    expect(systemOf(a!)).toContain('Always answer in French.');
    expect(systemOf(a!)).toContain(`<instructions path="${path.join(ws, 'AGENTS.md')}" scope="project">`);
    expect(systemOf(b!)).toBe(systemOf(a!));
    const loaded = first.events.find((e) => e.type === 'instructions.loaded');
    expect(loaded?.type === 'instructions.loaded' && loaded.data.files.map((f) => [path.basename(f.path), f.scope, f.truncated])).toEqual([
      ['AGENTS.md', 'project', false],
    ]);
    expect(second.events.some((e) => e.type === 'instructions.loaded')).toBe(false);

    await writeFile(path.join(ws, 'AGENTS.md'), 'Always answer in German.\n');
    const third = await send(stack, id, 'and now');
    expect(third.events.some((e) => e.type === 'instructions.loaded')).toBe(true);
    const c = stack.provider.requests.at(-1)!;
    expect(systemOf(c)).toContain('German');
    expect(systemOf(c)).not.toContain('French');

    // --no-instructions (instructions: false on the message) and instructions.enabled: false skip them.
    await send(stack, id, 'plain', { instructions: false });
    expect(systemOf(stack.provider.requests.at(-1)!)).not.toContain('German');
    const cfg = JSON.parse(await readFile(path.join(stack.home, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(stack.home, 'config.json'), JSON.stringify({ ...cfg, instructions: { enabled: false } }));
    await send(stack, id, 'plain again');
    expect(systemOf(stack.provider.requests.at(-1)!)).not.toContain('German');
  }, 60_000);

  it("attaches a subfolder's AGENTS.md once, to the first tool result that touches it; the system prompt stays the same", async () => {
    stack = await startStack();
    const ws = await project(stack);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'read_file', args: { path: 'pkg/api/x.ts' } }] },
      { type: 'tool_calls', calls: [{ name: 'read_file', args: { path: 'pkg/api/y.ts' } }] },
      { type: 'text', text: 'done' },
    ]);
    const { events } = await send(stack, id, 'read the api');
    const results = events.flatMap((e) => (e.type === 'tool.completed' ? [e.data.result] : []));
    expect(results[0]).toContain('never break the wire format');
    expect(results[0]).toContain('<instructions path="pkg/api/AGENTS.md" scope="nested">');
    expect(results[1]).not.toContain('wire format');
    const nested = events.filter((e) => e.type === 'instructions.loaded' && e.data.files.some((f) => f.scope === 'nested'));
    expect(nested).toHaveLength(1);
    const reqs = stack.provider.requests;
    expect(new Set(reqs.map(systemOf)).size).toBe(1);
    // A later run does not attach it again.
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'read_file', args: { path: 'pkg/api/x.ts' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const later = await send(stack, id, 'once more');
    expect(later.events.find((e) => e.type === 'tool.completed')?.data).not.toMatchObject({
      result: expect.stringContaining('wire format'),
    });
  }, 60_000);
});

describe('big tool outputs and the loop guard', () => {
  it('saves a long output whole under HERMES_HOME/tool-output (0600); the model gets head, tail and the path, and read_file can read it', async () => {
    stack = await startStack();
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ id: 'call_big', name: 'terminal', args: { command: 'seq 1 40000' } }] },
      { type: 'text', text: 'long' },
    ]);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    const { events } = await send(stack, id, 'count');
    const done = events.find((e) => e.type === 'tool.completed');
    const result = done?.type === 'tool.completed' ? done.data.result : '';
    const file = path.join(stack.home, 'tool-output', id, 'call_big.txt');
    expect(result).toContain(file);
    expect(result.length).toBeLessThan(12_000);
    expect(result).toMatch(/^1\n2\n3\n/);
    expect(result).toContain('40000');
    const saved = await readFile(file, 'utf8');
    expect(saved.split('\n').filter(Boolean)).toHaveLength(40000);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // read_file may read exactly that file; the rest of HERMES_HOME stays refused.
    stack.provider.script([
      {
        type: 'tool_calls',
        calls: [
          { name: 'read_file', args: { path: file, offset: 20000, limit: 3 } },
          { name: 'read_file', args: { path: path.join(stack.home, 'config.json') } },
        ],
      },
      { type: 'text', text: 'read' },
    ]);
    const second = await send(stack, id, 'read the middle');
    const reads = second.events.flatMap((e) => (e.type === 'tool.completed' ? [e.data] : []));
    const started = second.events.flatMap((e) => (e.type === 'tool.started' ? [e.data] : []));
    const byPath = (p: string) => reads.find((r) => r.toolCallId === started.find((s) => s.args.path === p)?.toolCallId)!;
    expect(byPath(file), byPath(file).result).toMatchObject({ ok: true });
    expect(byPath(file).result).toContain('20000');
    expect(byPath(path.join(stack.home, 'config.json'))).toMatchObject({ ok: false });
    expect(byPath(path.join(stack.home, 'config.json')).result).toContain('HERMES_HOME');
    expect(second.events.some((e) => e.type === 'approval.requested')).toBe(false);
  }, 60_000);

  it('the same failing call three times in a row stops the run and asks: stop ends it, continue goes on', async () => {
    stack = await startStack();
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    const fail = { type: 'tool_calls' as const, calls: [{ name: 'read_file', args: { path: 'missing.txt' } }] };
    stack.provider.script([fail, fail, fail, { type: 'text', text: 'should not be reached' }]);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse = readSse(stack.daemon.state, id);
    await api.post(stack.daemon.state, id, 'read it');
    const ask = await sse.until((e) => e.type === 'approval.requested', 20_000);
    expect(ask.type === 'approval.requested' && ask.data).toMatchObject({
      kind: 'loop_guard',
      tool: 'read_file',
      choices: ['once', 'deny'],
    });
    expect(stack.provider.requests).toHaveLength(3);
    const approvalId = ask.type === 'approval.requested' ? ask.data.approvalId : '';
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/approvals/${approvalId}`, {
      body: JSON.stringify({ decision: 'deny' }),
    });
    const done = await sse.until((e) => e.type === 'run.completed');
    sse.close();
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('cancelled');
    expect(stack.provider.requests).toHaveLength(3);

    // Continue: the run goes on to the next reply.
    stack.provider.reset();
    stack.provider.script([fail, fail, fail, { type: 'text', text: 'recovered' }]);
    const sse2 = readSse(stack.daemon.state, id, { after: (await api.get(stack.daemon.state, id)).lastSeq });
    await api.post(stack.daemon.state, id, 'again');
    const ask2 = await sse2.until((e) => e.type === 'approval.requested', 20_000);
    await rawRequest(
      stack.daemon.state,
      'POST',
      `/v1/sessions/${id}/approvals/${ask2.type === 'approval.requested' ? ask2.data.approvalId : ''}`,
      { body: JSON.stringify({ decision: 'once' }) },
    );
    const done2 = await sse2.until((e) => e.type === 'run.completed');
    sse2.close();
    expect(done2.type === 'run.completed' && done2.data.stopReason).toBe('done');
    expect(sse2.events.some((e) => e.type === 'message.completed' && e.data.text === 'recovered')).toBe(true);
  }, 60_000);
});
