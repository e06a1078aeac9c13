// A tiny misbehaving "provider" for faults the scripted provider server cannot produce:
// garbage bytes, wrong content types, malformed SSE. The behaviour is picked by the model name
// of the request (hermes model `raw:<behaviour>`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const RAW_BEHAVIOURS = {
  /** 200 text/event-stream, then random binary bytes. */
  garbage: (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  },
  /** 200 with an HTML page (a captive portal or a proxy's login page). */
  html: (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><h1>Welcome to the hotel wifi</h1></body></html>');
  },
  /** 200 application/json: a non-streamed completion where a stream was asked for. */
  json: (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      }),
    );
  },
  /** An event stream whose data lines are not JSON, then the socket closes. */
  badsse: (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: {"choices":[{"delta":{"content":"he\n\ndata: {nope\n\ndata: ]]]\n\n');
  },
  /** 200 with an empty body. */
  empty: (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end();
  },
  /** A 502 from a proxy, as HTML. */
  proxy502: (res: http.ServerResponse) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>502 Bad Gateway</body></html>');
  },
  /** Not HTTP at all: raw bytes, then close. */
  nothttp: (res: http.ServerResponse) => {
    res.socket?.end('\x00\x01\x02 this is not http\r\n\r\n');
  },
} as const satisfies Record<string, (res: http.ServerResponse) => void>;

export type RawBehaviour = keyof typeof RAW_BEHAVIOURS;

export async function startRawProvider(): Promise<{ baseUrl: string; hits: number; close(): Promise<void> }> {
  const state = { hits: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      state.hits++;
      let model = '';
      try {
        model = String((JSON.parse(body) as { model?: unknown }).model ?? '');
      } catch {
        // not JSON: fall through to garbage
      }
      const behave = RAW_BEHAVIOURS[model as RawBehaviour] ?? RAW_BEHAVIOURS.garbage;
      behave(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
