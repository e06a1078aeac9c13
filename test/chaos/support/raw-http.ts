// Low-level HTTP for the fuzz suite: requests over a keep-alive agent with full control of
// method, path, headers and body, and raw TCP exchanges for what is not HTTP at all.
import http from 'node:http';
import net from 'node:net';
import type { DaemonState } from '@hermes/protocol';

export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body chunked (no content-length). */
  chunked?: boolean;
  /** Leave out the bearer token. */
  anonymous?: boolean;
}

/** Sends one request; resolves with the status (0 when the connection died without an answer). */
export function send(state: DaemonState, agent: http.Agent, r: FuzzRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${state.port}`, ...r.headers };
    if (!r.anonymous) headers.authorization = `Bearer ${state.token}`;
    if (r.body !== undefined && !r.chunked) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = http.request({ host: '127.0.0.1', port: state.port, method: r.method, path: r.path, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d.length < 4096 ? d : d.slice(0, 4096)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // An answer before the whole body is sent (413) resets the rest of the upload: fine.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve({ status: 0, body: '' }) : reject(err),
    );
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/**
 * Writes raw bytes on a fresh TCP connection, optionally half-closes it, and collects what
 * comes back until the server closes it or `waitMs` passes. `closedByServer` tells which.
 */
export function rawExchange(
  port: number,
  bytes: Buffer,
  opts: { halfClose?: boolean; waitMs?: number } = {},
): Promise<{ reply: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let reply = '';
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ reply, closedByServer });
    };
    const timer = setTimeout(() => finish(false), opts.waitMs ?? 3000);
    sock.on('connect', () => {
      sock.write(bytes);
      if (opts.halfClose) sock.end();
    });
    sock.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
  });
}

/**
 * Sends the head of a request byte by byte, then stalls: the server's headersTimeout must
 * close the connection. Resolves with how long the server took to close it.
 */
export function slowHeaders(
  port: number,
  head: string,
  byteDelayMs: number,
): { closed: Promise<{ afterMs: number; reply: string }>; destroy(): void } {
  const sock = net.connect(port, '127.0.0.1');
  const started = Date.now();
  let reply = '';
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  const drip = (): void => {
    if (i >= head.length || sock.destroyed) return;
    sock.write(head[i++]!);
    timer = setTimeout(drip, byteDelayMs);
  };
  sock.on('connect', drip);
  sock.on('data', (d: Buffer) => (reply += d.toString('latin1')));
  const closed = new Promise<{ afterMs: number; reply: string }>((resolve) => {
    const end = (): void => {
      clearTimeout(timer);
      resolve({ afterMs: Date.now() - started, reply });
    };
    sock.on('close', end);
    sock.on('error', () => undefined);
  });
  return { closed, destroy: () => sock.destroy() };
}
