import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLIENT_PID_HEADER } from '@hermes/protocol';
import { isStorageError } from '../store/storage-error.js';
import { checkRequest } from './guard.js';
import { isFromTool } from './peer.js';
import { HttpError, sendError } from './respond.js';
import { buildRoutes, type Route, type ServerOptions } from './server.js';

/** The daemon's HTTP server: loopback only, every request guarded, every failure a 4xx with a message. */
export function createDaemonServer(o: ServerOptions): { server: Server; listen(port: number): Promise<number> } {
  const routes = buildRoutes(o);
  let boundPort = 0;
  // headersTimeout is only enforced when Node sweeps its connections (every 30 s by default):
  // sweep every second, so a client dripping its headers is cut after ~10 s, not ~30.
  const server = createServer({ connectionsCheckingInterval: 1000 }, async (req, res) => {
    try {
      // Before anything else, read or write: the agent's own processes may not act as the user.
      if (await isFromTool(req.socket, boundPort, req.headers[CLIENT_PID_HEADER])) {
        res.setHeader('connection', 'close');
        return sendError(
          res,
          403,
          'forbidden_from_tool',
          'refused: this request comes from a process started by an agent tool; only the user may talk to the daemon',
        );
      }
      const guard = checkRequest(req, boundPort, o.token);
      if (guard) return sendError(res, guard.status, guard.code, guard.message);
      const target = req.url ?? '/';
      // Anchored to the base by concatenation: as a reference, `//x` would be read as a host
      // ("protocol-relative") and `new URL('//', base)` throws.
      const url = new URL(`http://127.0.0.1:${boundPort}${target.startsWith('/') ? target : `/${target}`}`);
      // Route on the raw path: URL parsing would fold `%2e%2e` into `..` before the id check sees it.
      const rawPath = target.split('?')[0]!;
      const matches = routes
        .map((r) => ({ r, match: r.pattern.exec(rawPath) }))
        .filter((x): x is { r: Route; match: RegExpExecArray } => x.match !== null);
      if (matches.length === 0) return sendError(res, 404, 'not_found', `no route ${rawPath.slice(0, 200)}`);
      const hit = matches.find((x) => x.r.method === req.method);
      if (!hit) {
        res.setHeader('allow', matches.map((x) => x.r.method).join(', '));
        return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${rawPath.slice(0, 200)}`);
      }
      await hit.r.handler(req, res, url, hit.match.slice(1));
    } catch (err) {
      if (err instanceof HttpError) {
        // Stop reading an over-long body; the connection goes once the answer is out.
        if (err.status === 413) res.setHeader('connection', 'close');
        return sendError(res, err.status, err.code, err.message);
      }
      // Nothing was acknowledged: the change is not on disk, and the client is told why.
      if (isStorageError(err)) return sendError(res, 507, 'storage', `${err.message} ${err.hint}`);
      if (err instanceof URIError) return sendError(res, 400, 'bad_request', 'malformed percent-encoding in the path');
      if ((err as NodeJS.ErrnoException).code === 'ERR_INVALID_URL')
        return sendError(res, 400, 'bad_request', 'not a valid request target');
      o.log('error', 'request failed', { method: req.method, url: req.url, error: String(err) });
      sendError(res, 500, 'internal', 'internal error; see the daemon log');
    }
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  return {
    server,
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          boundPort = (server.address() as AddressInfo).port;
          resolve(boundPort);
        });
      }),
  };
}
