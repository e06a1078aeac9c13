import type { McpServer } from '@agentclientprotocol/sdk';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpStatusResponse } from '@hermes/protocol';
import { initParams, isUpdate, startAcp, type AcpHarness, type Seen } from './support/acp.js';
import { rawRequest, removeHome, ROOT, tempHome } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

/** ACP `session/new {mcpServers}`: the editor's servers join that session, and only that one. */
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const toolUpdates = (seen: readonly Seen[]) =>
  seen.flatMap((s) =>
    s.kind === 'update' && (s.n.update.sessionUpdate === 'tool_call' || s.n.update.sessionUpdate === 'tool_call_update')
      ? [s.n.update]
      : [],
  );
const toolsSent = (s: Stack) =>
  ((s.provider.requests.at(-1)!.body as { tools?: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name);

describe("hermes acp: the editor's MCP servers", () => {
  let stack: Stack;
  let ws: string;
  const open: AcpHarness[] = [];
  const bridge = () => {
    const h = startAcp({ home: stack.home });
    open.push(h);
    return h;
  };
  beforeAll(async () => {
    stack = await startStack({ config: { mcp: { startupWaitMs: 15_000 } } });
    ws = await tempHome('hermes-acp-mcp-ws-');
  });
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  afterAll(async () => {
    await stack.close();
    await removeHome(ws);
  });

  it('server-everything given in session/new is usable in that session, absent from another, and kept across a bridge restart', async () => {
    const h = bridge();
    const init = await h.agent.request('initialize', initParams);
    expect(init.agentCapabilities?.mcpCapabilities).toEqual({ http: true, sse: true });
    const editorServers: McpServer[] = [
      { name: 'Everything Server', command: process.execPath, args: [EVERYTHING], env: [{ name: 'EDITOR_TOKEN', value: 'tok-from-zed' }] },
    ];
    const { sessionId } = await h.agent.request('session/new', { cwd: ws, mcpServers: editorServers });

    const res = await h.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: '/tool mcp__Everything_Server__echo {"message":"from zed"}' }],
    });
    expect(res.stopReason).toBe('end_turn');
    // Asked first (an editor's server is not trusted blindly), as a tool_call then a permission request.
    const ask = h.seen.find((s): s is Extract<Seen, { kind: 'permission' }> => s.kind === 'permission');
    expect(ask?.params.toolCall.title).toBe('mcp__Everything_Server__echo');
    expect(JSON.stringify(ask?.params.toolCall.content)).toContain('from zed');
    const updates = toolUpdates(h.seen);
    expect(updates.at(-1)).toMatchObject({
      sessionUpdate: 'tool_call_update',
      status: 'completed',
      rawOutput: { result: 'Echo: from zed' },
    });
    expect(toolsSent(stack)).toContain('mcp__Everything_Server__echo');

    const status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    expect(status.servers.find((s) => s.name === 'Everything_Server')).toMatchObject({ scope: 'session', sessionId, status: 'ready' });

    // Another session of the same editor and workspace: not there.
    const other = await h.agent.request('session/new', { cwd: ws, mcpServers: [] });
    const res2 = await h.agent.request('session/prompt', { sessionId: other.sessionId, prompt: [{ type: 'text', text: 'hello' }] });
    expect(res2.stopReason).toBe('end_turn');
    expect(toolsSent(stack).some((n) => n.startsWith('mcp__Everything'))).toBe(false);

    // The editor restarts and loads the session without listing servers: the session kept them.
    await h.close();
    const again = bridge();
    await again.agent.request('initialize', initParams);
    await again.agent.request('session/load', { sessionId, cwd: ws, mcpServers: [] });
    const from = again.seen.length;
    const res3 = await again.agent.request('session/prompt', {
      sessionId,
      prompt: [{ type: 'text', text: '/tool mcp__Everything_Server__echo {"message":"after restart"}' }],
    });
    expect(res3.stopReason).toBe('end_turn');
    expect(toolUpdates(again.seen.slice(from)).at(-1)).toMatchObject({ status: 'completed', rawOutput: { result: 'Echo: after restart' } });
    expect(again.seen.slice(from).some(isUpdate('tool_call'))).toBe(true);
  }, 120_000);
});
