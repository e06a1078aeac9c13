import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { HERMES_VERSION } from '@hermes/protocol';
import { checkUrl, FetchRefused, pinAddress, portOf, type GuardOptions } from './guard.js';

export interface FetchLimits {
  /** Body bytes kept (after decompression); the rest is not read. */
  maxBytes: number;
  /** The whole fetch, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
}

export interface FetchedPage {
  /** Where the body came from (after redirects). */
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
  /** The body was longer than maxBytes and was cut there. */
  truncated: boolean;
  /** Each redirect's target, in order. */
  redirects: string[];
  droppedCredentials: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = {
  'user-agent': `Mozilla/5.0 (compatible; hermes/${HERMES_VERSION}; +web_fetch)`,
  accept: 'text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,application/json;q=0.7,*/*;q=0.1',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'en;q=1.0, *;q=0.5',
};

/**
 * GET a URL under the SSRF rules (guard.ts): every hop (the first URL and each redirect) is
 * checked and its address pinned before a byte is sent; no cookies, no credentials, no
 * headers of the daemon's own; bodies are decompressed and cut at `maxBytes`; the whole
 * exchange has one deadline.
 */
export async function guardedFetch(raw: string, limits: FetchLimits, guard: GuardOptions, signal: AbortSignal): Promise<FetchedPage> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const both = AbortSignal.any([signal, deadline]);
  const first = checkUrl(raw);
  let url = first.url;
  let droppedCredentials = first.droppedCredentials;
  const redirects: string[] = [];
  try {
    for (;;) {
      const pinned = await pinAddress(url, guard);
      both.throwIfAborted();
      const res = await request(url, pinned, both);
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode ?? 0) && location) {
        res.destroy();
        if (redirects.length >= limits.maxRedirects)
          throw new Error(`Too many redirects (more than ${limits.maxRedirects}); the last one went to ${location.slice(0, 300)}.`);
        const next = checkUrl(location, url.href);
        droppedCredentials ||= next.droppedCredentials;
        url = next.url;
        redirects.push(url.href);
        continue;
      }
      const { body, truncated } = await readBody(res, limits.maxBytes);
      return {
        url: url.href,
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        body,
        truncated,
        redirects,
        droppedCredentials,
      };
    }
  } catch (e) {
    if (e instanceof FetchRefused) throw e;
    if (deadline.aborted && !signal.aborted)
      throw new Error(`Timed out after ${Math.round(limits.timeoutMs / 1000)} s fetching ${url.href}.`);
    if (signal.aborted) throw new Error('Cancelled.');
    throw e;
  }
}

function request(url: URL, pinned: { ip: string; family: 4 | 6 }, signal: AbortSignal): Promise<http.IncomingMessage> {
  const secure = url.protocol === 'https:';
  // Connect to the checked address only, whatever a resolver would say now.
  const lookup: LookupFunction = (_host, opts, cb) => {
    if (opts.all) cb(null, [{ address: pinned.ip, family: pinned.family }]);
    else cb(null, pinned.ip, pinned.family);
  };
  const options: https.RequestOptions = {
    host: pinned.ip,
    family: pinned.family,
    port: portOf(url),
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    headers: { ...HEADERS, host: url.host },
    lookup,
    agent: false,
    signal,
    ...(secure ? { servername: url.hostname.replace(/^\[|\]$/g, '') } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(options, resolve);
    req.once('error', (e) => reject(connectError(url, e)));
    req.end();
  });
}

function connectError(url: URL, e: Error): Error {
  if (e.name === 'AbortError') return e;
  const code = 'code' in e ? String((e as { code: unknown }).code) : '';
  return new Error(`Could not fetch ${url.href}: ${code || e.message}.`);
}

async function readBody(res: http.IncomingMessage, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  let stream: Readable = res;
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (decoder) stream = pipeline(res, decoder, () => undefined);
  else if (encoding !== 'identity' && encoding !== '') {
    res.destroy();
    throw new Error(`The server sent an encoding web_fetch cannot read (${encoding}).`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const room = max - size;
      if (chunk.length >= room) {
        // Past the cap nothing more is read (a decompression bomb stops here too).
        chunks.push(chunk.subarray(0, room));
        size = max;
        truncated = chunk.length > room || !res.complete;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    throw new Error(`The response broke off: ${e instanceof Error ? e.message : String(e)}.`);
  } finally {
    res.destroy();
    stream.destroy();
  }
  return { body: Buffer.concat(chunks, size), truncated };
}
