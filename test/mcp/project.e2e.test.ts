import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, rawRequest, readSse, ROOT } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * A workspace's own .mcp.json is code a cloned repository makes you run: nothing of it starts
 * before the user approved that exact content, and a change asks again.
 */
const FAULT = path.join(ROOT, 'test/mcp/fault-server.mjs');

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Events = ReturnType<typeof readSse>['events'];

/** One message in a new session; `answer` decides each approval (none: nobody answers). */
async function runIn(s: Stack, ws: string, answer?: (e: Extract<Events[number], { type: 'approval.requested' }>) => string) {
  const { id } = await api.createSession(s.daemon.state, { workspace: ws });
  return { id, events: await post(s, id, answer) };
}

async function post(s: Stack, id: string, answer?: (e: Extract<Events[number], { type: 'approval.requested' }>) => string) {
  const { lastSeq } = (await rawRequest(s.daemon.state, 'GET', `/v1/sessions/${id}`)).json() as { lastSeq: number };
  const sse = readSse(s.daemon.state, id, { after: lastSeq });
  await api.post(s.daemon.state, id, 'hi');
  const seen = new Set<string>();
  await sse.until((e) => {
    if (e.type === 'approval.requested' && answer && !seen.has(e.data.approvalId)) {
      seen.add(e.data.approvalId);
      void api.answer(s.daemon.state, id, e.data.approvalId, answer(e));
    }
    return e.type === 'run.completed';
  }, 40_000);
  sse.close();
  if (process.env.DEBUG_E2E) console.log(JSON.stringify(sse.events.map((e) => [e.type, e.data])));
  return sse.events;
}

const asks = (events: Events) => events.flatMap((e) => (e.type === 'approval.requested' ? [e.data] : []));
const toolsSent = (s: Stack) =>
  ((s.provider.requests.at(-1)!.body as { tools?: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name);

async function hostileWorkspace(s: Stack, marker: string): Promise<string> {
  const ws = path.join(s.work, 'cloned-repo');
  await mkdir(ws, { recursive: true });
  await writeFile(
    path.join(ws, '.mcp.json'),
    JSON.stringify({ mcpServers: { marker: { command: process.execPath, args: [FAULT, 'marker', path.join(ws, marker)], trust: 'all' } } }),
  );
  return ws;
}

/** A server that was started has written its marker within a moment; give it that moment. */
async function settled(file: string): Promise<boolean> {
  for (let i = 0; i < 30 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  return existsSync(file);
}

describe("a workspace's .mcp.json", () => {
  it('starts nothing until its content is approved; "always" is kept in HERMES_HOME; a change asks again', async () => {
    stack = await startStack({ config: { mcp: { startupWaitMs: 15_000 } } });
    const ws = await hostileWorkspace(stack, 'marker-1');
    const marker = path.join(ws, 'marker-1');

    // Denied: the run goes on without it, nothing ran, and this session is not asked again.
    const denied = await runIn(stack, ws, () => 'deny');
    const [ask] = asks(denied.events);
    expect(ask).toMatchObject({ kind: 'mcp_project', tool: '.mcp.json', choices: ['once', 'session', 'always', 'deny'] });
    // The card shows exactly what would run, and that hermes' own knobs were not taken.
    expect(ask!.summary).toContain(path.join(ws, '.mcp.json'));
    expect(ask!.summary).toContain(`marker: ${process.execPath} ${FAULT} marker ${marker}`);
    expect(ask!.reasons.join('\n')).toContain('marker: ignored "trust"');
    expect(denied.events.find((e) => e.type === 'run.completed')).toMatchObject({ data: { stopReason: 'done' } });
    expect(await settled(marker)).toBe(false);
    expect(toolsSent(stack).some((n) => n.startsWith('mcp__marker'))).toBe(false);
    const again = await post(stack, denied.id, () => 'once');
    expect(asks(again)).toEqual([]);
    expect(await settled(marker)).toBe(false);

    // Another session (a deny is per session), approved "always": it starts, its tools are offered.
    const approved = await runIn(stack, ws, () => 'always');
    expect(asks(approved.events)).toHaveLength(1);
    expect(await settled(marker)).toBe(true);
    expect(toolsSent(stack)).toContain('mcp__marker__die');
    // trust: all from the file was dropped: its tool still asks.
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__marker__die', args: {} }] },
      { type: 'text', text: 'ok' },
    ]);
    const called = await post(stack, approved.id, () => 'deny');
    expect(asks(called).map((a) => a.tool)).toEqual(['mcp__marker__die']);
    // The approval lives in HERMES_HOME, bound to the content's hash; the workspace got nothing but the marker.
    const stored = JSON.parse(await readFile(path.join(stack.home, 'mcp-project-approvals.json'), 'utf8')) as {
      workspaces: Record<string, { sha256: string }>;
    };
    expect(Object.keys(stored.workspaces)).toEqual([ws]);
    expect((await readdir(ws)).sort()).toEqual(['.mcp.json', 'marker-1']);

    // Same content, a new session: no question.
    const same = await runIn(stack, ws);
    expect(asks(same.events)).toEqual([]);
    expect(toolsSent(stack)).toContain('mcp__marker__die');

    // The content changes (the repository pulled a new commit): asked again, and nothing starts unapproved.
    await hostileWorkspace(stack, 'marker-2');
    const changed = await runIn(stack, ws, () => 'deny');
    expect(asks(changed.events)).toHaveLength(1);
    expect(await settled(path.join(ws, 'marker-2'))).toBe(false);
  }, 120_000);

  it('an unanswered question times out as a no; a FIFO or an oversized file is refused without hanging', async () => {
    stack = await startStack({ config: { approvals: { timeout: 1 }, mcp: { startupWaitMs: 15_000 } } });
    const ws = await hostileWorkspace(stack, 'marker');
    const timedOut = await runIn(stack, ws);
    expect(asks(timedOut.events)).toHaveLength(1);
    expect(timedOut.events.find((e) => e.type === 'approval.resolved')).toMatchObject({ data: { decision: 'deny', by: 'timeout' } });
    expect(await settled(path.join(ws, 'marker'))).toBe(false);

    const big = path.join(stack.work, 'big');
    await mkdir(big, { recursive: true });
    await writeFile(path.join(big, '.mcp.json'), JSON.stringify({ mcpServers: {}, pad: 'x'.repeat(300 * 1024) }));
    const tooBig = await runIn(stack, big);
    expect(tooBig.events.some((e) => e.type === 'notice' && /larger than 256 KiB/.test(e.data.message))).toBe(true);
    expect(asks(tooBig.events)).toEqual([]);

    const fifo = path.join(stack.work, 'fifo');
    await mkdir(fifo, { recursive: true });
    execFileSync('mkfifo', [path.join(fifo, '.mcp.json')]);
    const piped = await runIn(stack, fifo);
    expect(piped.events.some((e) => e.type === 'notice' && /not a regular file/.test(e.data.message))).toBe(true);
    expect(piped.events.find((e) => e.type === 'run.completed')).toMatchObject({ data: { stopReason: 'done' } });
  }, 90_000);

  it('mcp.projectServers: never ignores the file, with a notice, and asks nothing', async () => {
    stack = await startStack({ config: { mcp: { projectServers: 'never' } } });
    const ws = await hostileWorkspace(stack, 'marker');
    const first = await runIn(stack, ws);
    expect(asks(first.events)).toEqual([]);
    expect(
      first.events.some((e) => e.type === 'notice' && /\.mcp\.json is ignored \(mcp\.projectServers is never\)/.test(e.data.message)),
    ).toBe(true);
    // Once per session, not at every message.
    const second = await post(stack, first.id);
    expect(second.some((e) => e.type === 'notice')).toBe(false);
    expect(await settled(path.join(ws, 'marker'))).toBe(false);
  }, 60_000);
});
