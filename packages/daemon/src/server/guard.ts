import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardFailure = { status: 401 | 403; code: 'unauthorized' | 'forbidden'; message: string };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time token comparison (hashing first makes the lengths equal). */
export function tokenMatches(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * The checks every request passes before routing: a loopback `Host` naming our port (DNS
 * rebinding), no `Origin` (browsers), and the bearer token. Order matters: a browser request
 * is refused as forbidden even when it somehow carries the token.
 */
export function checkRequest(req: IncomingMessage, port: number, token: string): GuardFailure | null {
  const host = req.headers.host;
  // Node keeps only the first of repeated Host headers; a request with two is ambiguous (RFC 9112
  // §3.2 says 400), so it is refused rather than judged by whichever one Node kept.
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts++;
  if (hosts !== 1) return { status: 403, code: 'forbidden', message: 'exactly one Host header is required' };
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { status: 403, code: 'forbidden', message: `Host must be 127.0.0.1:${port} or localhost:${port}` };
  }
  if (req.headers.origin !== undefined) {
    return { status: 403, code: 'forbidden', message: 'requests from browsers (with an Origin header) are refused' };
  }
  const auth = req.headers.authorization;
  const match = auth ? /^Bearer (\S+)$/.exec(auth) : null;
  if (!match || !tokenMatches(match[1]!, token)) {
    return {
      status: 401,
      code: 'unauthorized',
      message: 'missing or wrong bearer token; it is in HERMES_HOME/daemon.json',
    };
  }
  return null;
}
