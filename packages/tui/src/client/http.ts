import http, { type IncomingMessage } from 'node:http';

/**
 * The client's HTTP: a few JSON calls and one long event stream to 127.0.0.1. `node:http` does
 * this with a third of undici's start-up time and half its memory (undici's first request loads
 * a WebAssembly parser), which is most of `hermes send`'s cost on a one-token reply.
 */
export interface HttpRequest {
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Fails the request when no response headers arrived in time. */
  timeoutMs?: number;
}

export function openRequest(r: HttpRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: `127.0.0.1:${r.port}`, ...r.headers };
    if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
    const req = http.request({ host: '127.0.0.1', port: r.port, method: r.method, path: r.path, headers, signal: r.signal });
    let timer: NodeJS.Timeout | undefined;
    if (r.timeoutMs) timer = setTimeout(() => req.destroy(new Error(`no answer within ${r.timeoutMs} ms`)), r.timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(r.body);
  });
}

export async function readBody(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res as AsyncIterable<string>) text += chunk;
  return text;
}

/** A request whose answer is read whole and parsed as JSON (null when it is not JSON). */
export async function requestJson(r: HttpRequest): Promise<{ status: number; json: unknown }> {
  const res = await openRequest(r);
  const text = await readBody(res);
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the caller reports the status.
  }
  return { status: res.statusCode ?? 0, json };
}
