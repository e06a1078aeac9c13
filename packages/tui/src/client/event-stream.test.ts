import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HermesEvent } from '@hermes/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DaemonClient } from './api.js';
import { SessionEventStream, type StreamStatus } from './event-stream.js';

const SID = '20261201_120000_abcdef';
const envelope = (seq: number, type = 'notice') =>
  JSON.stringify({
    v: 1,
    seq,
    sessionId: SID,
    ts: '2026-12-01T12:00:00.000Z',
    type,
    data: type === 'notice' ? { level: 'info', message: `n${seq}` } : { whatever: true },
  });
const frame = (seq: number, type = 'notice') => `id: ${seq}\nevent: ${type}\ndata: ${envelope(seq, type)}\n\n`;
const attached = `event: attached\ndata: ${JSON.stringify({ sessionId: SID, lastSeq: 0, status: 'idle', pendingApprovalIds: [] })}\n\n`;

/** A fake daemon: each connection gets the next script (frames, then it closes, or stays open). */
async function fakeDaemon(scripts: ((req: http.IncomingMessage, res: http.ServerResponse) => void)[]) {
  const seen: { lastEventId: string | undefined; auth: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ lastEventId: req.headers['last-event-id'] as string | undefined, auth: req.headers.authorization });
    const script = scripts[Math.min(seen.length - 1, scripts.length - 1)]!;
    script(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const client = new DaemonClient({ pid: 1, port, token: 'tok', version: '0', protocol: 1, startedAt: '' });
  servers.push(server);
  return { client, seen };
}
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});
const sse = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });

describe('SessionEventStream (SSE against a fake daemon)', () => {
  it('delivers every event exactly once across a dropped connection, resuming from the last seq', async () => {
    const { client, seen } = await fakeDaemon([
      (_q, res) => {
        sse(res);
        res.end(attached + frame(1) + frame(2) + frame(2));
      },
      (_q, res) => {
        sse(res);
        // The daemon replays from the cursor; a duplicate of 2 and a malformed frame are skipped.
        res.write(attached + frame(2) + 'id: 9\nevent: notice\ndata: {not json\n\n' + frame(3) + frame(4, 'future.kind'));
      },
    ]);
    const events: HermesEvent[] = [];
    const unknown: number[] = [];
    const statuses: StreamStatus[] = [];
    const stream = new SessionEventStream(client, SID, {
      onEvent: (e) => events.push(e),
      onUnknown: (e) => unknown.push(e.seq),
      onStatus: (s) => statuses.push(s),
    });
    await vi.waitFor(() => expect(unknown).toEqual([4]), { timeout: 10_000 });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(stream.cursor).toBe(4);
    expect(seen.map((s) => s.lastEventId)).toEqual(['0', '2']);
    expect(seen[0]!.auth).toBe('Bearer tok');
    expect(statuses).toContain('reconnecting');
    expect(statuses.at(-1)).toBe('live');
    stream.close();
    await stream.finished;
    expect(statuses.at(-1)).toBe('closed');
  });

  it('a session that does not exist stops the stream for good (no retry loop)', async () => {
    const { client, seen } = await fakeDaemon([
      (_q, res) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"not_found"}}');
      },
    ]);
    const gone: string[] = [];
    const stream = new SessionEventStream(client, SID, { onEvent: () => {}, onGone: (d) => gone.push(d) });
    await stream.finished;
    expect(gone).toEqual([expect.stringContaining(SID)]);
    expect(seen).toHaveLength(1);
  });

  it('a resync (another log than the cursor came from) restarts the cursor at 0', async () => {
    const { client } = await fakeDaemon([
      (_q, res) => {
        sse(res);
        res.write(frame(5) + `event: resync\ndata: ${JSON.stringify({ reason: 'log replaced', lastSeq: 1 })}\n\n` + frame(1));
      },
    ]);
    const events: number[] = [];
    const stream = new SessionEventStream(client, SID, { onEvent: (e) => events.push(e.seq) }, { after: 4 });
    await vi.waitFor(() => expect(events).toEqual([5, 1]), { timeout: 10_000 });
    stream.close();
    await stream.finished;
  });

  it('a silent connection is dropped by the watchdog and resumed', async () => {
    const { client, seen } = await fakeDaemon([
      (_q, res) => {
        sse(res);
        res.write(frame(1)); // then nothing, not even a ping
      },
      (_q, res) => {
        sse(res);
        res.write(frame(2));
      },
    ]);
    const events: number[] = [];
    const stream = new SessionEventStream(client, SID, { onEvent: (e) => events.push(e.seq) }, { watchdogMs: 300 });
    await vi.waitFor(() => expect(events).toEqual([1, 2]), { timeout: 10_000 });
    expect(seen[1]!.lastEventId).toBe('1');
    stream.close();
    await stream.finished;
  });
});
