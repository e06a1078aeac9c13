/**
 * The source of the worker thread that turns HTML into markdown or text. Turndown and its DOM
 * parser are synchronous and slow on big pages (seconds a megabyte on a loaded machine), so
 * they never run on the daemon's event loop. It is a CommonJS script run with `eval: true`
 * (the daemon is bundled, so a worker file of its own would not be found next to it); the
 * libraries are loaded from the paths the daemon resolved.
 *
 * workerData: { html, format: 'markdown' | 'text', baseUrl, turndownPath, gfmPath }
 * posts: { ok: true, text, title } | { ok: false, error }
 */
export const HTML_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { html, format, baseUrl, turndownPath, gfmPath } = workerData;
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'EMBED', 'CANVAS', 'LINK', 'META', 'BASE']);
const BLOCK = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL', 'BODY', 'HTML']);

function absolutize(doc) {
  for (const [sel, attr] of [['a[href]', 'href'], ['img[src]', 'src']]) {
    for (const el of doc.querySelectorAll(sel)) {
      const v = el.getAttribute(attr);
      try {
        const u = new URL(v, baseUrl);
        // Script links are nothing a reader can follow.
        if (u.protocol === 'javascript:' || u.protocol === 'data:') el.removeAttribute(attr);
        else el.setAttribute(attr, u.href);
      } catch { el.removeAttribute(attr); }
    }
  }
}

function strip(doc) {
  for (const el of [...doc.querySelectorAll('*')]) if (SKIP.has(el.tagName.toUpperCase())) el.remove();
}

function toText(node, out) {
  if (node.nodeType === 3) {
    const pre = node.parentNode && node.parentNode.closest && node.parentNode.closest('pre');
    out.push(pre ? node.data : node.data.replace(/\s+/g, ' '));
    return;
  }
  if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
  const tag = node.tagName ? node.tagName.toUpperCase() : '';
  if (tag === 'BR') return void out.push('\n');
  const block = BLOCK.has(tag);
  if (block) out.push('\n');
  if (tag === 'LI') out.push('- ');
  for (const c of node.childNodes) toText(c, out);
  if (tag === 'TD' || tag === 'TH') out.push('\t');
  if (block) out.push('\n');
}

try {
  const domino = require(createRequire(turndownPath).resolve('@mixmark-io/domino'));
  const doc = domino.createDocument(html);
  const title = (doc.title || '').trim();
  strip(doc);
  absolutize(doc);
  const root = doc.body || doc.documentElement;
  let text;
  if (format === 'text') {
    const out = [];
    if (root) toText(root, out);
    text = out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n[ \t]+/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  } else {
    const TurndownService = require(turndownPath);
    const { gfm } = require(gfmPath);
    const td = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' });
    td.use(gfm);
    text = root ? td.turndown(root).trim() : '';
  }
  parentPort.postMessage({ ok: true, text, title });
} catch (e) {
  parentPort.postMessage({ ok: false, error: e && e.message ? e.message : String(e) });
}
`;
