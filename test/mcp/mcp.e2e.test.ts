import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpStatusResponse } from '@hermes/protocol';
import { api, rawRequest, readSse, ROOT } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';

const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const NEVER = path.join(ROOT, 'test/mcp/never-initialize.mjs');

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function run(s: Stack, text: string, answer?: (approvalId: string, summary: string, sessionId: string) => Promise<void>) {
  const ws = path.join(s.work, 'ws');
  await mkdir(ws, { recursive: true });
  const { id } = await api.createSession(s.daemon.state, { workspace: ws });
  const sse = readSse(s.daemon.state, id);
  await api.post(s.daemon.state, id, text);
  const answered = new Set<string>();
  await sse.until((e) => {
    if (e.type === 'approval.requested' && answer && !answered.has(e.data.approvalId)) {
      answered.add(e.data.approvalId);
      void answer(e.data.approvalId, e.data.summary, id);
    }
    return e.type === 'run.completed';
  }, 40_000);
  sse.close();
  return sse.events;
}

const completed = (events: Awaited<ReturnType<typeof run>>) => events.flatMap((e) => (e.type === 'tool.completed' ? [e.data] : []));

describe('MCP servers as tools (server-everything, real, over stdio)', () => {
  it('calls a tool through the agent loop; bad arguments are a failed result and the run goes on; no provider key reaches the server', async () => {
    stack = await startStack({
      config: {
        mcp: { servers: { everything: { command: process.execPath, args: [EVERYTHING], trust: 'readOnly' } }, startupWaitMs: 15_000 },
      },
      env: { OPENAI_API_KEY: 'sk-test-canary-key-123456' },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__echo', args: { message: 'hello mcp' } }] },
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__get-sum', args: { a: 'x', b: 2 } }] },
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__get-env', args: {} }] },
      { type: 'text', text: 'done' },
    ]);
    const events = await run(stack, 'use the server');
    const done = events.find((e) => e.type === 'run.completed');
    expect(done?.type === 'run.completed' && done.data.stopReason).toBe('done');
    const [echo, sum, env] = completed(events);
    expect(echo).toMatchObject({ ok: true, result: 'Echo: hello mcp' });
    expect(sum?.ok).toBe(false);
    expect(sum?.result).toMatch(/expected number/);
    expect(env?.ok).toBe(true);
    expect(env?.result).toContain('PATH');
    expect(env?.result).not.toContain('sk-test-canary');
    // The provider saw each tool once (the server's list_changed at connect adds no duplicates).
    const tools = (stack.provider.requests.at(-1)!.body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
    expect(tools.filter((n) => n === 'mcp__everything__echo')).toHaveLength(1);
    expect(tools.every((n) => n.length <= 64)).toBe(true);

    const status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    expect(status.servers).toHaveLength(1);
    expect(status.servers[0]).toMatchObject({ name: 'everything', status: 'ready' });
    expect(status.servers[0]!.tools.map((t) => t.name)).toContain('mcp__everything__echo');
  });

  it('asks before a tool of a server that is not trusted, and shows the arguments', async () => {
    stack = await startStack({
      config: { mcp: { servers: { everything: { command: process.execPath, args: [EVERYTHING] } }, startupWaitMs: 15_000 } },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__echo', args: { message: 'ask first' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const summaries: string[] = [];
    const events = await run(stack, 'go', async (approvalId, summary, sid) => {
      summaries.push(summary);
      await api.answer(stack!.daemon.state, sid, approvalId, 'once');
    });
    expect(summaries).toEqual(['everything › echo {"message":"ask first"}']);
    const req = events.find((e) => e.type === 'approval.requested');
    expect(req?.type === 'approval.requested' && req.data.pattern).toBe('mcp__everything__echo');
    expect(completed(events)[0]).toMatchObject({ ok: true, result: 'Echo: ask first' });
  });

  it('"always" for the whole server: another of its tools runs without asking, the rule is saved; a rule it did not offer is a 400', async () => {
    stack = await startStack({
      config: { mcp: { servers: { everything: { command: process.execPath, args: [EVERYTHING] } }, startupWaitMs: 15_000 } },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__echo', args: { message: 'first' } }] },
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__get-sum', args: { a: 2, b: 3 } }] },
      { type: 'text', text: 'ok' },
    ]);
    const asked: string[] = [];
    const refused: number[] = [];
    const events = await run(stack, 'go', async (approvalId, summary, sid) => {
      asked.push(summary);
      const route = `/v1/sessions/${sid}/approvals/${approvalId}`;
      // A client cannot widen the rule beyond what was offered (every MCP tool, or any command).
      for (const pattern of ['mcp__*', 'mcp__everything__echo*', 'rm *']) {
        refused.push(
          (await rawRequest(stack!.daemon.state, 'POST', route, { body: JSON.stringify({ decision: 'always', pattern }) })).status,
        );
      }
      const ok = await rawRequest(stack!.daemon.state, 'POST', route, {
        body: JSON.stringify({ decision: 'always', pattern: 'mcp__everything__*', by: 'test' }),
      });
      expect(ok.status).toBe(200);
    });
    expect(refused).toEqual([400, 400, 400]);
    expect(asked).toEqual(['everything › echo {"message":"first"}']);
    const req = events.find((e) => e.type === 'approval.requested');
    expect(req?.type === 'approval.requested' && req.data.patterns).toEqual(['mcp__everything__*']);
    const res = events.find((e) => e.type === 'approval.resolved');
    expect(res?.type === 'approval.resolved' && res.data).toMatchObject({ decision: 'always', pattern: 'mcp__everything__*' });
    expect(completed(events).map((c) => [c.ok, c.result])).toEqual([
      [true, 'Echo: first'],
      [true, 'The sum of 2 and 3 is 5.'],
    ]);
    const config = JSON.parse(await readFile(path.join(stack.home, 'config.json'), 'utf8')) as { approvals?: { allowlist?: string[] } };
    expect(config.approvals?.allowlist).toEqual(['mcp__everything__*']);
  });

  it('streams progress as tool output', async () => {
    stack = await startStack({
      config: { mcp: { servers: { everything: { command: process.execPath, args: [EVERYTHING], trust: 'all' } }, startupWaitMs: 15_000 } },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__trigger-long-running-operation', args: { duration: 1, steps: 2 } }] },
      { type: 'text', text: 'ok' },
    ]);
    const events = await run(stack, 'go');
    const output = events.flatMap((e) => (e.type === 'tool.output' ? [e.data.text] : [])).join('');
    expect(output).toContain('1/2');
    expect(completed(events)[0]?.ok).toBe(true);
  });

  it('a server that never answers initialize does not hold the run; it is failed after its timeout', async () => {
    stack = await startStack({
      config: { mcp: { servers: { stuck: { command: process.execPath, args: [NEVER], startupTimeoutMs: 1500 } }, startupWaitMs: 300 } },
    });
    stack.provider.script([{ type: 'text', text: 'answered anyway' }]);
    const events = await run(stack, 'hi');
    expect(events.some((e) => e.type === 'notice' && /stuck still starting/.test(e.data.message))).toBe(true);
    const done = events.find((e) => e.type === 'run.completed');
    expect(done?.type === 'run.completed' && done.data.stopReason).toBe('done');
    let status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    for (let i = 0; i < 40 && status.servers[0]?.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    }
    expect(status.servers[0]).toMatchObject({ name: 'stuck', status: 'failed' });
    expect(status.servers[0]!.error).toMatch(/initialize within/);
  });
});

const FAULT = path.join(ROOT, 'test/mcp/fault-server.mjs');

describe('MCP servers that misbehave', () => {
  it('one that exits mid-call: the call fails, the server is failed, and the next run starts it again', async () => {
    stack = await startStack({
      config: {
        mcp: { servers: { fault: { command: process.execPath, args: [FAULT, 'exit-mid-call'], trust: 'all' } }, startupWaitMs: 10_000 },
      },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__fault__die', args: {} }] },
      { type: 'text', text: 'went on' },
    ]);
    const first = await run(stack, 'call it');
    expect(completed(first)[0]?.ok).toBe(false);
    const done = first.find((e) => e.type === 'run.completed');
    expect(done?.type === 'run.completed' && done.data.stopReason).toBe('done');
    let status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    expect(status.servers[0]?.status).toBe('failed');
    // A later run (after the backoff) gets a fresh process with its tools back.
    await new Promise((r) => setTimeout(r, 1100));
    stack.provider.script([{ type: 'text', text: 'again' }]);
    await run(stack, 'hello again');
    status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    expect(status.servers[0]).toMatchObject({ status: 'ready' });
    expect(status.servers[0]!.tools.map((t) => t.name)).toEqual(['mcp__fault__die']);
  });

  it('one that prints garbage on stdout is failed with a clear error; one that floods stderr leaves a bounded log and a healthy daemon', async () => {
    stack = await startStack({
      config: {
        mcp: {
          servers: {
            garbage: { command: process.execPath, args: [FAULT, 'garbage'], startupTimeoutMs: 1500 },
            flood: { command: process.execPath, args: [FAULT, 'flood'], trust: 'all' },
          },
          startupWaitMs: 10_000,
        },
      },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__flood__die', args: {} }] },
      { type: 'text', text: 'ok' },
    ]);
    const events = await run(stack, 'go');
    expect(completed(events)[0]).toMatchObject({ ok: true, result: 'still here' });
    const status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    expect(status.servers.find((s) => s.name === 'garbage')).toMatchObject({ status: 'failed' });
    // 20 MB went to stderr: the log kept at most about two rotations' worth.
    await new Promise((r) => setTimeout(r, 1500));
    const { stat } = await import('node:fs/promises');
    const sizes = await Promise.all(
      ['mcp-flood.log', 'mcp-flood.log.1'].map((f) =>
        stat(path.join(stack!.home, 'logs', f)).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    expect(sizes[0]! + sizes[1]!).toBeLessThan(3 * 1024 * 1024);
    expect(sizes[0]! + sizes[1]!).toBeGreaterThan(0);
    expect((await rawRequest(stack.daemon.state, 'GET', '/v1/hello')).status).toBe(200);
    expect(stack.daemon.logs()).not.toContain('xxxxxxxx');
  });
});

describe('MCP over Streamable HTTP', () => {
  it('works with the header it needs (expanded from the environment) and is failed without it', async () => {
    const { startHttpMcp } = await import('./http-server.js');
    const server = await startHttpMcp('s3cret');
    try {
      stack = await startStack({
        config: {
          mcp: {
            servers: {
              good: { url: server.url, headers: { 'x-test-token': '${MCP_TEST_TOKEN}' }, trust: 'all' },
              bad: { url: server.url, type: 'http', startupTimeoutMs: 3000 },
            },
            startupWaitMs: 10_000,
          },
        },
        env: { MCP_TEST_TOKEN: 's3cret' },
      });
      stack.provider.script([
        { type: 'tool_calls', calls: [{ name: 'mcp__good__ping', args: { say: 'hi' } }] },
        { type: 'text', text: 'ok' },
      ]);
      const events = await run(stack, 'ping it');
      expect(completed(events)[0]).toMatchObject({ ok: true, result: 'pong hi' });
      const status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
      expect(status.servers.find((s) => s.name === 'good')).toMatchObject({ status: 'ready' });
      expect(status.servers.find((s) => s.name === 'bad')).toMatchObject({ status: 'failed' });
    } finally {
      await server.close();
    }
  });
});

const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');

describe('server-filesystem rooted at the workspace', () => {
  it('reads inside, fails outside; with trust readOnly its read tools run and its write tools ask', async () => {
    stack = await startStack({
      config: {
        mcp: { servers: { fs: { command: process.execPath, args: [FILESYSTEM, '.'], trust: 'readOnly' } }, startupWaitMs: 15_000 },
      },
    });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws, { recursive: true });
    const { writeFile, readFile } = await import('node:fs/promises');
    await writeFile(path.join(ws, 'notes.txt'), 'inside the workspace\n');
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__fs__read_text_file', args: { path: path.join(ws, 'notes.txt') } }] },
      { type: 'tool_calls', calls: [{ name: 'mcp__fs__read_text_file', args: { path: '/etc/hostname' } }] },
      { type: 'tool_calls', calls: [{ name: 'mcp__fs__write_file', args: { path: path.join(ws, 'new.txt'), content: 'x' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const asked: string[] = [];
    const events = await run(stack, 'files', async (approvalId, summary, sid) => {
      asked.push(summary);
      await api.answer(stack!.daemon.state, sid, approvalId, 'deny');
    });
    const [inside, outside, write] = completed(events);
    expect(inside).toMatchObject({ ok: true });
    expect(inside?.result).toContain('inside the workspace');
    expect(outside?.ok).toBe(false);
    expect(outside?.result).toMatch(/denied|outside/i);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^fs › write_file /);
    expect(write?.ok).toBe(false);
    await expect(readFile(path.join(ws, 'new.txt'), 'utf8')).rejects.toThrow();
  });
});

describe('MCP calls that take too long', () => {
  it('a tool timeout fails the call and the server stays usable; a cancel ends the run within a second; shutdown leaves no server process', async () => {
    stack = await startStack({
      config: {
        mcp: {
          servers: { everything: { command: process.execPath, args: [EVERYTHING], trust: 'all', toolTimeoutMs: 800 } },
          startupWaitMs: 15_000,
        },
      },
    });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__trigger-long-running-operation', args: { duration: 5, steps: 1 } }] },
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__echo', args: { message: 'still up' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const events = await run(stack, 'slow');
    const [slow, echo] = completed(events);
    expect(slow?.ok).toBe(false);
    expect(slow?.result).toMatch(/timed out/);
    expect(echo).toMatchObject({ ok: true, result: 'Echo: still up' });

    // Cancel in the middle of a call (no timeout this time: progress keeps resetting it).
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__trigger-long-running-operation', args: { duration: 20, steps: 40 } }] },
    ]);
    const ws = path.join(stack.work, 'ws');
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse = readSse(stack.daemon.state, id);
    await api.post(stack.daemon.state, id, 'long one');
    await sse.until((e) => e.type === 'tool.output', 20_000);
    const t0 = Date.now();
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' });
    const done = await sse.until((e) => e.type === 'run.completed', 10_000);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('cancelled');
    sse.close();

    const servers = async () => {
      const { readdir, readFile } = await import('node:fs/promises');
      const found: number[] = [];
      for (const pid of await readdir('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmd.startsWith(process.execPath) && cmd.includes('server-everything/dist/index.js')) found.push(Number(pid));
      }
      return found;
    };
    expect((await servers()).length).toBeGreaterThan(0);
    await stack.daemon.kill();
    await new Promise((r) => setTimeout(r, 3000));
    expect(await servers()).toEqual([]);
  });
});
