import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpStatusResponse, SessionMcpResponse } from '@hermes/protocol';
import { api, rawRequest, readSse, ROOT } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';

const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function runOnce(s: Stack, id: string, text = 'hi') {
  const { lastSeq } = (await rawRequest(s.daemon.state, 'GET', `/v1/sessions/${id}`)).json() as { lastSeq: number };
  const sse = readSse(s.daemon.state, id, { after: lastSeq });
  await api.post(s.daemon.state, id, text);
  await sse.until((e) => e.type === 'run.completed', 40_000);
  sse.close();
  return sse.events;
}

const toolsSent = (s: Stack) =>
  ((s.provider.requests.at(-1)!.body as { tools?: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name);

describe("a session's own MCP servers", () => {
  it('join that session only, survive a daemon restart, are never shown with their secrets, and go with the session', async () => {
    stack = await startStack({ config: { mcp: { startupWaitMs: 15_000 } } });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws, { recursive: true });
    const servers = {
      everything: { command: process.execPath, args: [EVERYTHING], env: { API_TOKEN: 'tok-secret-123' }, trust: 'all' as const },
    };
    const created = await rawRequest(stack.daemon.state, 'POST', '/v1/sessions', {
      body: JSON.stringify({ workspace: ws, mcpServers: servers }),
    });
    expect(created.status).toBe(201);
    const mine = (created.json() as { session: { id: string } }).session.id;
    const other = (await api.createSession(stack.daemon.state, { workspace: ws })).id;

    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__echo', args: { message: 'from the editor' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const events = await runOnce(stack, mine);
    expect(events.find((e) => e.type === 'tool.completed')).toMatchObject({ data: { ok: true, result: 'Echo: from the editor' } });
    await runOnce(stack, other);
    expect(toolsSent(stack).some((n) => n.startsWith('mcp__everything'))).toBe(false);

    const status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    expect(status.servers).toMatchObject([{ name: 'everything', scope: 'session', sessionId: mine, status: 'ready' }]);

    // Shown without the values of env and headers; the file is private.
    const shown = SessionMcpResponse.parse((await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${mine}/mcp`)).json());
    expect(shown.servers.everything?.env).toEqual({ API_TOKEN: '<redacted>' });
    expect(JSON.stringify(shown)).not.toContain('tok-secret');
    const file = path.join(stack.home, 'session-mcp', `${mine}.json`);
    expect((await stat(file)).mode & 0o077).toBe(0);
    // Nothing of it in the session's log.
    const log = await rawRequest(stack.daemon.state, 'GET', `/v1/sessions/${mine}`);
    expect(log.body).not.toContain('tok-secret');

    // A restart keeps them.
    await stack.daemon.kill();
    await stack.restart();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'mcp__everything__echo', args: { message: 'after restart' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const again = await runOnce(stack, mine);
    expect(again.find((e) => e.type === 'tool.completed')).toMatchObject({ data: { ok: true, result: 'Echo: after restart' } });

    // PUT replaces them ({} removes); deleting the session removes the file.
    const put = await rawRequest(stack.daemon.state, 'PUT', `/v1/sessions/${mine}/mcp`, { body: JSON.stringify({ servers: {} }) });
    expect(put.status).toBe(200);
    await runOnce(stack, mine);
    expect(toolsSent(stack).some((n) => n.startsWith('mcp__everything'))).toBe(false);
    await rawRequest(stack.daemon.state, 'PUT', `/v1/sessions/${mine}/mcp`, { body: JSON.stringify({ servers }) });
    expect(existsSync(file)).toBe(true);
    expect((await rawRequest(stack.daemon.state, 'DELETE', `/v1/sessions/${mine}`)).status).toBe(200);
    expect(existsSync(file)).toBe(false);
  }, 120_000);

  it('bad input is a clear 400, and an unknown session a 404', async () => {
    stack = await startStack();
    const { id } = await api.createSession(stack.daemon.state, {});
    const put = (body: unknown, sid = id) =>
      rawRequest(stack!.daemon.state, 'PUT', `/v1/sessions/${sid}/mcp`, { body: JSON.stringify(body) });
    for (const body of [
      {},
      { servers: [] },
      { servers: { 'a b': { command: 'x' } } },
      { servers: { a: {} } },
      { servers: { a: { command: 'x', shell: true } } },
    ]) {
      const r = await put(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json()).toMatchObject({ error: { message: expect.any(String) } });
    }
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`s${i}`, { command: 'x' }]));
    expect((await put({ servers: many })).status).toBe(400);
    expect(
      (await rawRequest(stack.daemon.state, 'POST', '/v1/sessions', { body: JSON.stringify({ mcpServers: { '../x': { command: 'x' } } }) }))
        .status,
    ).toBe(400);
    expect((await put({ servers: {} }, '20200101_000000_abcdef')).status).toBe(404);
    expect((await put({ servers: {} }, '..%2f..%2fetc')).status).toBe(400);
  }, 60_000);
});
