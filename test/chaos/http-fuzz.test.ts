// Part 3: thousands of malformed requests (fast-check) and raw-socket abuse. Every answer is a
// 4xx (or, for bytes that are not HTTP, a closed connection), never a 5xx, never a crash, and
// the daemon's memory stays put.
import http from 'node:http';
import fc from 'fast-check';
import { isSessionId } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, removeHome, startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { healthy, rssKb, scaled } from './support/chaos.js';
import { rawExchange, send, slowHeaders, type FuzzRequest } from './support/raw-http.js';

const statusCounts = new Map<string, number>();
const tally = (label: string, status: number): void => {
  const key = `${label}:${status}`;
  statusCounts.set(key, (statusCounts.get(key) ?? 0) + 1);
};
let total = 0;

const notJson = fc.string({ maxLength: 200 }).filter((s) => {
  if (s.trim() === '') return false;
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

/** Ids that are not session ids, as they would appear in a path (traversal, encodings, junk). */
const badIdSegment = fc
  .oneof(
    fc.constantFrom(
      '..',
      '%2e%2e',
      '%2E%2E',
      '..%2F..%2Fetc%2Fpasswd',
      '..%2f..%2f..%2fetc%2fshadow',
      '%252e%252e%252f',
      '....%2F%2F',
      '%00',
      'abc%00.jsonl',
      '20260101_000000_abcdef.jsonl',
      '20260101_000000_ABCDEF',
      '20260101_000000_abcdeg',
      '%',
      '%zz',
      '%c0%ae%c0%ae',
      '~root',
      '.hermes',
      'daemon.json',
      '%2Fetc%2Fpasswd',
      '20260101_000000_abcdef%2F..',
      '..%5C..%5Cwindows',
    ),
    fc.string({ minLength: 1, maxLength: 60 }).map((s) => encodeURIComponent(s)),
    fc.stringMatching(/^[0-9]{8}_[0-9]{6}_[0-9a-f]{5,7}[a-z./]{0,3}$/).map((s) => encodeURIComponent(s)),
  )
  .filter((seg) => {
    try {
      return !isSessionId(decodeURIComponent(seg));
    } catch {
      return true; // malformed percent-encoding
    }
  });

const knownPaths = new Set(['/v1/hello', '/v1/sessions', '/v1/events', '/v1/shutdown']);
const unknownPath = fc
  .oneof(
    fc.webPath({ size: 'small' }),
    fc.constantFrom(
      '/',
      '/v2/hello',
      '/v1',
      '/v1/',
      '/v1/hello/',
      '/v1//sessions',
      '/V1/HELLO',
      '/v1/sessions/',
      '/.git/config',
      '/..%2F..%2Fetc%2Fpasswd',
      '/v1/%2e%2e/daemon.json',
      '/etc/passwd',
      '/v1/sessions?x=1/../../',
    ),
  )
  .filter((p) => p.startsWith('/') && !knownPaths.has(p.split('?')[0]!) && !/^\/v1\/sessions\/\d{8}_\d{6}_[0-9a-f]{6}(\/|$)/.test(p));

const randomHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), fc.stringMatching(/^[ -~]{0,80}$/), { maxKeys: 4 });

describe('http fuzz: malformed requests never get a 5xx or crash the daemon', () => {
  let d: TestDaemon;
  let agent: http.Agent;
  let sid: string;
  let rssBefore = 0;
  let slow: ReturnType<typeof slowHeaders>[] = [];
  let slowStarted = 0;

  beforeAll(async () => {
    d = await startTestDaemon();
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    sid = (await api.createSession(d.state)).id;
    // Slow-header clients start first and run alongside the fuzzing: headersTimeout must cut them.
    slowStarted = Date.now();
    slow = [0, 1, 2].map((i) =>
      slowHeaders(d.state.port, `GET /v1/hello HTTP/1.1\r\nHost: 127.0.0.1:${d.state.port}\r\nX-Slow-${i}: ${'a'.repeat(40)}`, 40),
    );
    // Warm up (JIT, buffers, zod) before the memory baseline.
    for (let i = 0; i < 300; i++) await send(d.state, agent, { method: 'GET', path: `/v1/sessions/${i}` });
    rssBefore = await rssKb(d.proc.pid!);
  });

  afterAll(async () => {
    for (const s of slow) s.destroy();
    agent.destroy();
    await d.kill();
    await removeHome(d.home);
  });

  const check4xx = async (label: string, r: FuzzRequest): Promise<void> => {
    const res = await send(d.state, agent, r);
    total++;
    tally(label, res.status);
    if (res.status < 400 || res.status >= 500) throw new Error(`${label}: ${r.method} ${r.path} → ${res.status} ${res.body.slice(0, 200)}`);
  };

  it('bad ids and path traversal on every session route: 400', async () => {
    const routes = ['', '/messages', '/events', '/cancel', '/approvals/apr_x'];
    await fc.assert(
      fc.asyncProperty(
        badIdSegment,
        fc.constantFrom(...routes),
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
        async (id, suffix, method) => {
          const body = method === 'GET' || method === 'DELETE' ? undefined : '{"text":"x","title":"t","decision":"once"}';
          await check4xx('bad-id', {
            method,
            path: `/v1/sessions/${id}${suffix}`,
            ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
          });
        },
      ),
      { numRuns: scaled(600) },
    );
  }, 60_000);

  it('unknown routes and methods: 404/405', async () => {
    await fc.assert(
      fc.asyncProperty(
        unknownPath,
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'LOCK', 'PURGE'),
        randomHeaders,
        async (p, method, headers) => {
          await check4xx('route', { method, path: p, headers });
        },
      ),
      { numRuns: scaled(500) },
    );
    // Known routes, wrong methods (HEAD/OPTIONS included: no CORS preflight answer either).
    for (const p of [
      '/v1/hello',
      '/v1/sessions',
      '/v1/events',
      '/v1/shutdown',
      `/v1/sessions/${sid}`,
      `/v1/sessions/${sid}/messages`,
      `/v1/sessions/${sid}/events`,
      `/v1/sessions/${sid}/cancel`,
    ]) {
      for (const method of ['PUT', 'OPTIONS', 'HEAD', 'CONNECT', 'TRACE', 'PROPFIND']) {
        if (method === 'CONNECT') continue; // a tunnel request: Node answers it outside the router
        await check4xx('method', { method, path: p });
      }
    }
  }, 60_000);

  it('bad JSON, wrong types, wrong content types on every body route: 400/415', async () => {
    const bodyRoutes = [
      { method: 'POST', path: '/v1/sessions' },
      { method: 'PATCH', path: `/v1/sessions/${sid}` },
      { method: 'POST', path: `/v1/sessions/${sid}/messages` },
      { method: 'POST', path: `/v1/sessions/${sid}/cancel` },
      { method: 'POST', path: `/v1/sessions/${sid}/approvals/apr_missing` },
      { method: 'POST', path: '/v1/shutdown' },
    ];
    // Bodies every schema refuses: not JSON, not an object, or fields of the wrong type.
    const wrongTyped = fc.oneof(
      notJson,
      fc.constantFrom('null', '[]', '0', '"x"', 'true', '[{}]'),
      fc.record({ title: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())) }).map((o) => JSON.stringify(o)),
      fc
        .record({ text: fc.oneof(fc.integer(), fc.constant(''), fc.constant(null), fc.object()), decision: fc.integer() })
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyRoutes.filter((r) => !r.path.endsWith('/cancel') && r.path !== '/v1/shutdown')),
        wrongTyped,
        randomHeaders,
        async (route, body, headers) => {
          await check4xx('body', { ...route, body, headers: { ...headers, 'content-type': 'application/json' } });
        },
      ),
      { numRuns: scaled(600) },
    );
    // cancel and shutdown take any object, so only non-objects and non-JSON are malformed there.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(bodyRoutes[3]!, bodyRoutes[5]!),
        fc.oneof(notJson, fc.constantFrom('null', '[]', '0', '"x"', 'true')),
        async (route, body) => {
          await check4xx('body-empty', { ...route, body, headers: { 'content-type': 'application/json' } });
        },
      ),
      { numRuns: scaled(150) },
    );
    // A JSON body under a content type a web page can send without a preflight, or none at all.
    const types = fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'json',
      'text/json',
      '',
      'application/json-patch+json',
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bodyRoutes), types, async (route, type) => {
        await check4xx('content-type', {
          ...route,
          body: '{"text":"hi","title":"t","decision":"once"}',
          headers: type ? { 'content-type': type } : {},
        });
      }),
      { numRuns: scaled(150) },
    );
  }, 60_000);

  it('huge bodies: 413, declared or chunked', async () => {
    const big = Buffer.alloc(1024 * 1024 + 100, 'a');
    const json = Buffer.from(JSON.stringify({ text: 'x'.repeat(1024 * 1024) }));
    for (let i = 0; i < scaled(8); i++) {
      for (const path of ['/v1/sessions', `/v1/sessions/${sid}/messages`]) {
        await check4xx('huge', { method: 'POST', path, body: i % 2 ? big : json, headers: { 'content-type': 'application/json' } });
        const r = await send(d.state, agent, {
          method: 'POST',
          path,
          body: json,
          chunked: true,
          headers: { 'content-type': 'application/json' },
        });
        total++;
        tally('huge-chunked', r.status);
        // The daemon may answer 413 and close before the upload ends: the client then sees a reset.
        expect(r.status === 413 || r.status === 0, `chunked huge body → ${r.status}`).toBe(true);
      }
    }
  }, 60_000);

  it('garbage bytes, bad request lines, odd methods and half-closed sockets: a 4xx or a closed connection', async () => {
    const port = d.state.port;
    const auth = `Authorization: Bearer ${d.state.token}\r\n`;
    const host = `Host: 127.0.0.1:${port}\r\n`;
    let answered = 0;
    let closed = 0;
    let hung = 0;
    const ok = (label: string, r: { reply: string; closedByServer: boolean }): void => {
      total++;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(r.reply)?.[1];
      tally(`raw-${label}`, status ? Number(status) : 0);
      if (status) {
        answered++;
        if (Number(status) < 400 || Number(status) >= 500) throw new Error(`${label}: answered ${status}: ${r.reply.slice(0, 200)}`);
      } else if (r.closedByServer) closed++;
      else hung++;
      if (r.reply && !status) throw new Error(`${label}: a reply that is not HTTP: ${JSON.stringify(r.reply.slice(0, 100))}`);
    };
    // Random bytes, half-closed after sending: the server must answer 400 or close.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (bytes) => {
        ok('garbage', await rawExchange(port, Buffer.from(bytes), { halfClose: true }));
      }),
      { numRuns: scaled(150) },
    );
    // Random methods and request lines that are almost HTTP.
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z_!#]{1,12}$/),
        fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1', 'http/1.1', ''),
        fc.constantFrom('/v1/hello', '*', 'http://evil.example/v1/hello', '/v1/../v1/hello', '', '/v1/hello#x'),
        async (method, version, target) => {
          ok(
            'request-line',
            await rawExchange(port, Buffer.from(`${method} ${target} ${version}\r\n${host}${auth}\r\n`), { halfClose: true }),
          );
        },
      ),
      { numRuns: scaled(200) },
    );
    // Hand-made protocol violations.
    const cases: [string, string][] = [
      ['no-host', `GET /v1/hello HTTP/1.1\r\n${auth}\r\n`],
      ['two-hosts', `GET /v1/hello HTTP/1.1\r\n${host}Host: evil.example\r\n${auth}\r\n`],
      ['huge-header', `GET /v1/hello HTTP/1.1\r\n${host}${auth}X-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
      ['many-headers', `GET /v1/hello HTTP/1.1\r\n${host}${auth}${Array.from({ length: 3000 }, (_, i) => `X-${i}: y\r\n`).join('')}\r\n`],
      ['nul-in-header', `GET /v1/hello HTTP/1.1\r\n${host}${auth}X-A: a\0b\r\n\r\n`],
      ['obs-fold', `GET /v1/hello HTTP/1.1\r\n${host}${auth}X-A: a\r\n b\r\n\r\n`],
      ['bad-content-length', `POST /v1/sessions HTTP/1.1\r\n${host}${auth}Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}`],
      [
        'two-content-lengths',
        `POST /v1/sessions HTTP/1.1\r\n${host}${auth}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      ],
      [
        'cl-and-te (smuggling)',
        `POST /v1/sessions HTTP/1.1\r\n${host}${auth}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/hello HTTP/1.1\r\n\r\n`,
      ],
      [
        'bad-chunk',
        `POST /v1/sessions HTTP/1.1\r\n${host}${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
      ['lf-only', `GET /v1/hello HTTP/1.1\n${host.replace('\r', '')}\n`],
      ['space-before-colon', `GET /v1/hello HTTP/1.1\r\nHost : 127.0.0.1:${port}\r\n${auth}\r\n`],
      ['tls-hello', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + 'x'.repeat(40)],
      ['http2-preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
      ['partial-then-fin', `POST /v1/sessions HTTP/1.1\r\n${host}${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ti`],
      ['headers-then-fin', `GET /v1/hello HTTP/1.1\r\n${host}`],
    ];
    for (const [label, text] of cases) ok(label, await rawExchange(port, Buffer.from(text, 'latin1'), { halfClose: true }));
    // A complete request, then FIN at once: the answer still comes (half-close is legal).
    const half = await rawExchange(port, Buffer.from(`GET /v1/hello HTTP/1.1\r\n${host}${auth}\r\n`), { halfClose: true });
    expect(half.reply).toMatch(/^HTTP\/1\.1 200/);
    // Connections opened and dropped at once, mid-request.
    for (let i = 0; i < scaled(100); i++)
      await rawExchange(port, Buffer.from(`POST /v1/sessions/${sid}/messages HTTP/1.1\r\n${host}`), { waitMs: 1 });
    console.log(
      `http-fuzz/raw: ${answered} answered 4xx, ${closed} closed by the daemon, ${hung} left waiting for more bytes (cut by the client after 3 s)`,
    );
    expect(await healthy(d.state)).toBe(true);
  }, 120_000);

  it('slow headers are cut by headersTimeout; the daemon stays healthy and its memory stable', async () => {
    const results = await Promise.all(
      slow.map((s) => Promise.race([s.closed, new Promise<null>((r) => setTimeout(() => r(null), 50_000 - (Date.now() - slowStarted)))])),
    );
    for (const r of results) {
      expect(r, 'a slow-header connection was never closed').not.toBeNull();
      expect(r!.reply === '' || /^HTTP\/1\.1 4\d\d/.test(r!.reply)).toBe(true);
    }
    expect(await healthy(d.state)).toBe(true);
    const rssAfter = await rssKb(d.proc.pid!);
    const byStatus = [...statusCounts.entries()]
      .sort()
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    console.log(`http-fuzz: ${total} malformed requests, statuses ${byStatus}; 0 × 5xx; daemon answers /v1/hello after`);
    console.log(
      `http-fuzz: ${slow.length} slow-header connections closed by the daemon after ${results.map((r) => `${((r?.afterMs ?? 0) / 1000).toFixed(1)} s`).join(', ')}`,
    );
    console.log(
      `http-fuzz: daemon RSS ${(rssBefore / 1024).toFixed(1)} MiB before, ${(rssAfter / 1024).toFixed(1)} MiB after (limit +64 MiB)`,
    );
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024);
    expect(d.proc.exitCode).toBeNull();
    expect(d.logs()).not.toMatch(/request failed/);
  }, 60_000);
});
