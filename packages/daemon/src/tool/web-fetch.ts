import * as z from 'zod';
import { bodyKind, charsetOf, convertHtml, decode } from '../web/convert.js';
import { guardedFetch } from '../web/fetch.js';
import { FetchRefused } from '../web/guard.js';
import { jsonSchemaOf } from './common.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const DEFAULT_FETCH_BYTES = 5 * 1024 * 1024;
export const MAX_FETCH_BYTES = 10 * 1024 * 1024;
export const DEFAULT_FETCH_TIMEOUT_S = 30;
export const MAX_FETCH_TIMEOUT_S = 120;
export const MAX_REDIRECTS = 5;
/** Characters of converted page handed on (longer results are saved whole by the tool-output spill). */
const MAX_RESULT_CHARS = 400_000;
const ERROR_BODY_CHARS = 2000;

const Args = z.strictObject({
  url: z.string().min(1).max(8000),
  format: z.enum(['markdown', 'text', 'html']).optional(),
  maxBytes: z.number().int().positive().max(MAX_FETCH_BYTES).optional().describe(`Body bytes to read (default ${DEFAULT_FETCH_BYTES}).`),
  timeout: z.number().positive().max(MAX_FETCH_TIMEOUT_S).optional().describe(`Seconds (default ${DEFAULT_FETCH_TIMEOUT_S}).`),
});
type Args = z.infer<typeof Args>;

const DESCRIPTION = `Fetch an http(s) URL. HTML comes back as markdown (format: text or html for the others), text as it is; no binaries. Public addresses only; up to ${MAX_REDIRECTS} redirects. A long page is saved whole: you get its start, its end and the file's path for read_file.`;

const kb = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export const webFetchTool: Tool<typeof Args> = {
  name: 'web_fetch',
  description: DESCRIPTION,
  parameters: jsonSchemaOf(Args),
  // Changes nothing here; whether it asks is the policy's (tools.webFetch).
  readOnly: true,
  argsSchema: Args,
  summarize: (args) => args.url,
  async execute(args: Args, ctx: ToolContext): Promise<ToolResult> {
    const maxBytes = args.maxBytes ?? DEFAULT_FETCH_BYTES;
    let page;
    try {
      page = await guardedFetch(
        args.url,
        { maxBytes, timeoutMs: (args.timeout ?? DEFAULT_FETCH_TIMEOUT_S) * 1000, maxRedirects: MAX_REDIRECTS },
        ctx.web ?? {},
        ctx.signal,
      );
    } catch (e) {
      return {
        ok: false,
        result: e instanceof FetchRefused ? e.message : `web_fetch failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    const kind = bodyKind(page.contentType, page.body);
    const head = [
      `URL: ${page.url}${page.redirects.length ? ` (after ${page.redirects.length} redirect${page.redirects.length === 1 ? '' : 's'} from ${args.url})` : ''}`,
    ];
    if (page.droppedCredentials) head.push('Note: the credentials in the URL were not sent.');
    head.push(
      `Status: ${page.status} · ${page.contentType || 'no content type'} · ${kb(page.body.length)}${page.truncated ? ` (cut at ${kb(maxBytes)}: maxBytes)` : ''}`,
    );
    if (kind === 'binary') {
      return {
        ok: false,
        result: `${head.join('\n')}\n\nThis is binary content (${page.contentType || 'unknown type'}); web_fetch returns text only.`,
      };
    }
    const raw = decode(page.body, charsetOf(page.contentType, page.body, kind === 'html'));
    let text = raw;
    if (kind === 'html' && args.format !== 'html') {
      try {
        const converted = await convertHtml(raw, args.format ?? 'markdown', page.url, ctx.signal);
        if (converted.title) head.push(`Title: ${converted.title.replace(/\s+/g, ' ').slice(0, 300)}`);
        text = converted.text;
      } catch (e) {
        return { ok: false, result: `${head.join('\n')}\n\n${e instanceof Error ? e.message : String(e)}` };
      }
    }
    const failed = page.status >= 400;
    const limit = failed ? ERROR_BODY_CHARS : MAX_RESULT_CHARS;
    if (text.length > limit) text = `${text.slice(0, limit)}\n\n[… ${text.length - limit} more characters not shown]`;
    return { ok: !failed, result: `${head.join('\n')}\n\n${text || '(empty body)'}` };
  },
};
