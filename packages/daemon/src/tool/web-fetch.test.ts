import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardOptions, ResolveAll } from '../web/guard.js';
import { webFetchTool } from './web-fetch.js';
import type { ToolContext } from './types.js';

const PAGE = `<!doctype html><html><head><title>Fixture  page</title><style>p{color:red}</style><script>alert("x")</script></head>
<body><h1>Hello</h1><p>Some <strong>bold</strong> text and <a href="/docs/next">a relative link</a>.</p>
<table><tr><th>name</th><th>value</th></tr><tr><td>a</td><td>1</td></tr></table>
<pre><code>const x = 1;</code></pre><a href="javascript:alert(1)">bad</a><noscript>enable js</noscript></body></html>`;

let server: http.Server;
let base: string;
let port: number;
const seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    const u = new URL(req.url ?? '/', 'http://x');
    const redirect = (to: string, code = 302) => res.writeHead(code, { location: to }).end();
    switch (u.pathname) {
      case '/page':
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      case '/latin1':
        return res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.from('<p>caf\xe9</p>', 'latin1'));
      case '/json':
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
      case '/png':
        return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
      case '/big':
        return res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(1_000_000));
      case '/bomb': {
        // 64 MiB of zeros in ~64 KiB of gzip: the cap applies to what it inflates to.
        const gz = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61), { level: 9 });
        return res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gz);
      }
      case '/gzip':
        return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(PAGE));
      case '/stall':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        return; // never ends
      case '/404':
        return res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>');
      case '/hop':
        return redirect(`/hop?n=${Number(u.searchParams.get('n') ?? 0) + 1}`);
      case '/to':
        return redirect(u.searchParams.get('u')!, Number(u.searchParams.get('code') ?? 302));
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function ctx(web: GuardOptions = { allowLoopback: true }, signal = new AbortController().signal): ToolContext {
  return { workspace: '/nowhere', env: {}, signal, onOutput: () => undefined, web };
}
const run = (args: Record<string, unknown>, c = ctx()) => webFetchTool.execute(webFetchTool.argsSchema.parse(args), c);

describe('web_fetch against a local server (loopback opened as the test setting does)', () => {
  it('converts a page to markdown: headings, tables, fenced code, absolute links; no scripts or styles', async () => {
    const r = await run({ url: `${base}/page` });
    expect(r.ok, r.result).toBe(true);
    expect(r.result).toContain(`URL: ${base}/page`);
    expect(r.result).toContain('Status: 200 · text/html; charset=utf-8');
    expect(r.result).toContain('Title: Fixture page');
    expect(r.result).toContain('# Hello');
    expect(r.result).toContain('**bold**');
    expect(r.result).toContain(`[a relative link](${base}/docs/next)`);
    expect(r.result).toMatch(/\| name \| value \|\n\| --- \| --- \|\n\| a \| 1 \|/);
    expect(r.result).toContain('```\nconst x = 1;\n```');
    expect(r.result).not.toMatch(/alert|color:red|enable js|javascript:/);
  });

  it('text and html formats; charsets; gzip; text types as they are; binary refused', async () => {
    const text = await run({ url: `${base}/page`, format: 'text' });
    expect(text.result).toContain('Hello\n');
    expect(text.result).toContain('Some bold text and a relative link.');
    expect(text.result).not.toMatch(/alert|\*\*|#/);
    expect((await run({ url: `${base}/page`, format: 'html' })).result).toContain('<script>alert("x")</script>');
    expect((await run({ url: `${base}/latin1` })).result).toContain('café');
    expect((await run({ url: `${base}/gzip` })).result).toContain('# Hello');
    expect((await run({ url: `${base}/json` })).result).toMatch(/\n\n\{"a":1\}$/);
    const png = await run({ url: `${base}/png` });
    expect(png).toMatchObject({ ok: false, result: expect.stringContaining('binary content (image/png)') });
  });

  it('caps the size (a gzip bomb too) and the time', async () => {
    const big = await run({ url: `${base}/big`, maxBytes: 1000 });
    expect(big.ok).toBe(true);
    expect(big.result).toContain('(cut at 1000 B: maxBytes)');
    expect(big.result.split('\n\n')[1]).toBe('x'.repeat(1000));
    const bomb = await run({ url: `${base}/bomb`, maxBytes: 100_000 });
    expect(bomb.result).toContain('97.7 KB (cut at 97.7 KB: maxBytes)');
    const t0 = Date.now();
    const stall = await run({ url: `${base}/stall`, timeout: 1 });
    expect(stall).toMatchObject({ ok: false, result: expect.stringContaining('Timed out after 1 s') });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(() => webFetchTool.argsSchema.parse({ url: `${base}/big`, maxBytes: 11 * 1024 * 1024 })).toThrow();
    expect(() => webFetchTool.argsSchema.parse({ url: `${base}/big`, timeout: 600 })).toThrow();
  });

  it('a cancelled run stops the fetch', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await run({ url: `${base}/stall` }, ctx({ allowLoopback: true }, ac.signal));
    expect(r).toMatchObject({ ok: false, result: expect.stringContaining('Cancelled') });
  });

  it('follows redirects (at most 5) and reports an HTTP error as a failure with the page', async () => {
    const ok = await run({ url: `${base}/to?u=${encodeURIComponent('/page')}&code=301` });
    expect(ok.result).toContain('(after 1 redirect from');
    expect(ok.result).toContain('# Hello');
    const loop = await run({ url: `${base}/hop` });
    expect(loop).toMatchObject({ ok: false, result: expect.stringContaining('Too many redirects (more than 5)') });
    const missing = await run({ url: `${base}/404` });
    expect(missing).toMatchObject({ ok: false, result: expect.stringContaining('Status: 404') });
    expect(missing.result).toContain('# Not here');
  });

  it('sends no credentials, cookies or headers of its own; the Host is the URL’s', async () => {
    seen.length = 0;
    const r = await run({ url: `http://user:hunter2@127.0.0.1:${port}/json` });
    expect(r.result).toContain('Note: the credentials in the URL were not sent.');
    expect(seen).toHaveLength(1);
    const h = seen[0]!;
    expect(h.authorization).toBeUndefined();
    expect(h.cookie).toBeUndefined();
    expect(h.host).toBe(`127.0.0.1:${port}`);
    expect(JSON.stringify(h)).not.toContain('hunter2');
  });
});

describe('web_fetch SSRF: as an attacker would try it', () => {
  const redirectTo = (target: string, code = 302) => `${base}/to?u=${encodeURIComponent(target)}&code=${code}`;

  it('refuses loopback without the test setting, by every spelling', async () => {
    for (const url of [
      `${base}/page`,
      `http://localhost:${port}/page`,
      `http://2130706433:${port}/page`,
      `http://0x7f.1:${port}/page`,
      `http://0177.0.0.1:${port}/page`,
      `http://[::ffff:127.0.0.1]:${port}/page`,
      `http://[::1]:${port}/page`,
      `http://0:${port}/page`,
    ]) {
      seen.length = 0;
      const r = await run({ url }, ctx({}));
      expect(r.ok, url).toBe(false);
      expect(r.result, url).toMatch(/^Refused: /);
      expect(seen, url).toHaveLength(0);
    }
  });

  it('checks every redirect: to metadata, private ranges, mapped v6, other schemes, the daemon itself', async () => {
    const daemonPort = port + 1;
    const web = { allowLoopback: true, ownPorts: [daemonPort] };
    const cases: [string, RegExp][] = [
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a linkLocal address/],
      ['http://10.0.0.1/admin', /10\.0\.0\.1 is a private address/],
      ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped/],
      ['http://[fd00::1]/', /uniqueLocal/],
      ['http://0.0.0.0/', /unspecified/],
      ['file:///etc/passwd', /Only http and https/],
      ['gopher://127.0.0.1:6379/_FLUSHALL', /Only http and https/],
      [`http://127.0.0.1:${daemonPort}/v1/sessions`, /the hermes daemon itself/],
    ];
    for (const code of [301, 302, 307, 308]) {
      for (const [target, why] of cases) {
        const r = await run({ url: redirectTo(target, code) }, ctx(web));
        expect(r.ok, target).toBe(false);
        expect(r.result, target).toMatch(why);
      }
    }
    // Two hops: a public-looking first redirect that then goes private.
    const twice = await run({ url: redirectTo(redirectTo('http://192.168.0.1/')) }, ctx(web));
    expect(twice.result).toMatch(/192\.168\.0\.1 is a private address/);
  });

  it('hostnames resolving to private addresses are refused; the address checked is the one connected to (no rebinding)', async () => {
    let calls = 0;
    // First answer loopback (open in this test), later ones another loopback address nothing listens on.
    const rebinding: ResolveAll = async () => [{ address: calls++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    const r = await run({ url: `http://rebind.test:${port}/json` }, ctx({ allowLoopback: true, resolve: rebinding }));
    expect(r.ok, r.result).toBe(true);
    expect(calls).toBe(1);
    const privateName: ResolveAll = async (h) => [{ address: h === 'intranet.test' ? '192.168.10.10' : '93.184.216.34', family: 4 }];
    const refused = await run({ url: 'http://intranet.test/' }, ctx({ resolve: privateName }));
    expect(refused.result).toBe(
      'Refused: intranet.test resolves to 192.168.10.10, a private address. web_fetch only fetches public internet addresses.',
    );
    const viaRedirect = await run({ url: redirectTo('http://intranet.test/') }, ctx({ allowLoopback: true, resolve: privateName }));
    expect(viaRedirect.result).toMatch(/intranet\.test resolves to 192\.168\.10\.10/);
  });
});
