import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HermesEvent } from '@hermes/protocol';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

// The fixture site, on loopback: the daemons below reach it only under the test-only
// HERMES_TEST_FETCH_LOOPBACK=1 (a real daemon refuses loopback).
let site: http.Server;
let siteUrl: string;
let hits = 0;
beforeAll(async () => {
  site = http.createServer((req, res) => {
    hits++;
    if (req.url === '/redirect-to-daemon') return res.writeHead(302, { location: String(req.headers['x-target'] ?? '/') }).end();
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        '<html><head><title>Fixture</title></head><body><h2>Release notes</h2><ul><li>fast</li><li>safe</li></ul><script>steal()</script></body></html>',
      );
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((r) => site.close(r));
});

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function turn(s: Stack, id: string, text: string, onApproval?: (e: HermesEvent) => Promise<void>): Promise<HermesEvent[]> {
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  expect((await api.post(s.daemon.state, id, text)).status).toBe(202);
  if (onApproval) await onApproval(await sse.until((e) => e.type === 'approval.requested', 20_000));
  await sse.until((e) => e.type === 'run.completed', 30_000);
  sse.close();
  return sse.events;
}
const fetchCall = (url: string) => [
  { type: 'tool_calls' as const, calls: [{ name: 'web_fetch', args: { url } }] },
  { type: 'text' as const, text: 'read it' },
];
const toolResult = (events: HermesEvent[]) =>
  events.find((e) => e.type === 'tool.completed')?.data as { ok: boolean; result: string } | undefined;
const toolNames = (s: Stack) =>
  ((s.provider.requests.at(-1)!.body as { tools?: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name);

describe('web_fetch (real daemon, scripted provider)', () => {
  it('fetches a page as markdown without asking; the model gets it; the daemon itself is never fetched', async () => {
    stack = await startStack({ env: { HERMES_TEST_FETCH_LOOPBACK: '1' } });
    const { id } = await api.createSession(stack.daemon.state, { workspace: stack.work });
    stack.provider.script(fetchCall(`${siteUrl}/notes`));
    const events = await turn(stack, id, 'what is new?');
    expect(events.some((e) => e.type === 'approval.requested')).toBe(false);
    const r = toolResult(events)!;
    expect(r.ok, r.result).toBe(true);
    expect(r.result).toContain('Title: Fixture');
    expect(r.result).toContain('## Release notes');
    expect(r.result).toContain('-   fast');
    expect(r.result).not.toContain('steal');
    // What the model saw in its next request.
    const next = JSON.stringify(stack.provider.requests.at(-1)!.body);
    expect(next).toContain('## Release notes');
    expect(toolNames(stack)).toContain('web_fetch');

    const daemonUrl = `http://127.0.0.1:${stack.daemon.state.port}/v1/hello`;
    stack.provider.script(fetchCall(daemonUrl));
    const own = toolResult(await turn(stack, id, 'fetch the daemon'))!;
    expect(own).toMatchObject({ ok: false, result: 'Refused: that is the hermes daemon itself.' });
    stack.provider.script(fetchCall(`http://localhost:${stack.daemon.state.port}/v1/sessions`));
    expect(toolResult(await turn(stack, id, 'by name'))!.result).toBe('Refused: that is the hermes daemon itself.');
  }, 90_000);

  it('without the test setting loopback is refused and nothing reaches the server; tools.webFetch ask asks per host; off removes the tool', async () => {
    stack = await startStack();
    const { id } = await api.createSession(stack.daemon.state, { workspace: stack.work });
    const before = hits;
    stack.provider.script(fetchCall(`${siteUrl}/notes`));
    const r = toolResult(await turn(stack, id, 'fetch it'))!;
    expect(r.ok).toBe(false);
    expect(r.result).toMatch(/^Refused: 127\.0\.0\.1 is a loopback address/);
    expect(hits).toBe(before);
    stack.provider.script(fetchCall('http://169.254.169.254/latest/meta-data/'));
    expect(toolResult(await turn(stack, id, 'metadata'))!.result).toMatch(/^Refused: 169\.254\.169\.254 is a linkLocal address/);

    const config = {
      model: 'scripted:default',
      providers: { scripted: { type: 'openai', baseUrl: stack.provider.openaiBaseUrl } },
      tools: { webFetch: 'ask' },
    };
    await writeFile(path.join(stack.home, 'config.json'), JSON.stringify(config));
    stack.provider.script(fetchCall('http://10.1.2.3/'));
    let asked: HermesEvent | undefined;
    const events = await turn(stack, id, 'ask me', async (e) => {
      asked = e;
      await rawRequest(stack!.daemon.state, 'POST', `/v1/sessions/${id}/approvals/${(e.data as { approvalId: string }).approvalId}`, {
        body: JSON.stringify({ decision: 'once' }),
      });
    });
    expect(asked?.data).toMatchObject({ tool: 'web_fetch', summary: 'fetch http://10.1.2.3/', pattern: 'fetch 10.1.2.3' });
    // An approval never opens a private address.
    expect(toolResult(events)!.result).toMatch(/^Refused: 10\.1\.2\.3 is a private address/);

    await writeFile(path.join(stack.home, 'config.json'), JSON.stringify({ ...config, tools: { webFetch: 'off' } }));
    stack.provider.script(fetchCall(`${siteUrl}/notes`));
    const off = toolResult(await turn(stack, id, 'off'))!;
    expect(off.result).toMatch(/^Unknown tool "web_fetch"/);
    expect(toolNames(stack)).not.toContain('web_fetch');
    expect(toolNames(stack)).toContain('read_file');
  }, 90_000);
});
