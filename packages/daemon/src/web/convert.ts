import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HTML_WORKER_SOURCE } from './html-worker.js';

export type PageFormat = 'markdown' | 'text' | 'html';

/** A conversion taking longer than this is stopped (its worker terminated). */
export const CONVERT_TIMEOUT_MS = 20_000;
/** HTML past this many characters is cut before converting (the page was capped at maxBytes already). */
export const MAX_CONVERT_CHARS = 3_000_000;

const require = createRequire(import.meta.url);
let paths: { turndownPath: string; gfmPath: string } | null = null;
function libraryPaths() {
  paths ??= { turndownPath: require.resolve('turndown'), gfmPath: require.resolve('turndown-plugin-gfm') };
  return paths;
}

/** What kind of body a response has, from its content type (and its first bytes when it names none). */
export function bodyKind(contentType: string, head: Buffer): 'html' | 'text' | 'binary' {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (
    type.startsWith('text/') ||
    /^application\/(?:json|xml|javascript|ecmascript|x-yaml|yaml|toml|x-sh|ld\+json)$/.test(type) ||
    /\+(?:json|xml)$/.test(type)
  ) {
    return 'text';
  }
  if (type && type !== 'application/octet-stream') return 'binary';
  if (head.subarray(0, 8192).includes(0)) return 'binary';
  return /^\s*(?:<!doctype html|<html|<head|<body)/i.test(head.subarray(0, 1024).toString('latin1')) ? 'html' : 'text';
}

/** The charset a response declares: its header, else an HTML `<meta>` in the first 2 KiB; UTF-8 by default. */
export function charsetOf(contentType: string, body: Buffer, html: boolean): string {
  const header = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  if (header) return header;
  if (html) {
    const head = body.subarray(0, 2048).toString('latin1');
    const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
    if (meta) return meta;
  }
  return 'utf-8';
}

/** Decodes a body by its charset; an unknown label falls back to UTF-8 (bad bytes become U+FFFD). */
export function decode(body: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset, { fatal: false }).decode(body);
  } catch {
    return new TextDecoder('utf-8', { fatal: false }).decode(body);
  }
}

/**
 * HTML → markdown (turndown with GitHub tables, links made absolute, scripts and styles
 * dropped) or → plain text, in a worker thread so the daemon's event loop never waits on it.
 */
export function convertHtml(
  html: string,
  format: 'markdown' | 'text',
  baseUrl: string,
  signal?: AbortSignal,
): Promise<{ text: string; title: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HTML_WORKER_SOURCE, {
      eval: true,
      workerData: { html: html.slice(0, MAX_CONVERT_CHARS), format, baseUrl, ...libraryPaths() },
      // A hostile page must not take the daemon's memory with it.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`converting the page took longer than ${CONVERT_TIMEOUT_MS / 1000} s`))),
      CONVERT_TIMEOUT_MS,
    );
    const onAbort = () => finish(() => reject(new Error('cancelled')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: { ok: true; text: string; title: string } | { ok: false; error: string }) =>
      finish(() => (m.ok ? resolve({ text: m.text, title: m.title }) : reject(new Error(`the page could not be converted: ${m.error}`)))),
    );
    worker.once('error', (e) => finish(() => reject(new Error(`the page could not be converted: ${e.message}`))));
    worker.once('exit', (code) => finish(() => reject(new Error(`the page could not be converted (worker exited with ${code})`))));
  });
}
