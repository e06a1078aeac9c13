import os from 'node:os';
import path from 'node:path';
import type { ErrorKind, RunError } from '@hermes/protocol';
import { redactSecrets } from '../util/redact.js';

export interface ProviderErrorInit {
  kind: ErrorKind;
  message: string;
  hint: string;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  provider?: string;
}

/** A provider failure, typed so the retry policy and the user both know what to do next. */
export class ProviderError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly provider?: string;

  constructor(init: ProviderErrorInit) {
    super(redactSecrets(init.message));
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.hint = redactSecrets(init.hint);
    this.retryable = init.retryable;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.status !== undefined) this.status = init.status;
    if (init.provider !== undefined) this.provider = init.provider;
  }

  toRunError(): RunError {
    return { kind: this.kind, message: this.message, hint: this.hint, retryable: this.retryable };
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** Thrown when the caller's signal aborts: a cancel, not a failure. */
export class AbortedError extends Error {
  constructor() {
    super('the request was cancelled');
    this.name = 'AbortError';
  }
}

export function isAbortError(value: unknown): boolean {
  return value instanceof Error && value.name === 'AbortError';
}

/** Kinds that no retry will fix. */
const NEVER_RETRY: ReadonlySet<ErrorKind> = new Set([
  'auth',
  'quota_exhausted',
  'context_length_exceeded',
  'invalid_request',
  'not_configured',
]);

const DEFAULT_RETRYABLE: Record<ErrorKind, boolean> = {
  auth: false,
  rate_limit: true,
  quota_exhausted: false,
  context_length_exceeded: false,
  overloaded: true,
  server_error: true,
  truncated_stream: true,
  invalid_response: false,
  invalid_request: false,
  network: true,
  timeout: true,
  not_configured: false,
  storage: true,
  internal: false,
};

export interface ErrorContext {
  provider: string;
  /** The model id on the wire, for hints. */
  model?: string;
  /** The variable holding the key, for auth hints. */
  keyEnv?: string;
  baseUrl?: string;
  /** Values to mask wherever they appear (the API key). */
  secrets?: readonly string[];
  /** HERMES_HOME, so hints name the files the user really has (not always ~/.hermes). */
  home?: string;
}

/** A file in HERMES_HOME as a hint shows it: `~/.hermes/.env` for the default home, else its path. */
export function homeFile(home: string | undefined, name: string): string {
  if (!home || path.resolve(home) === path.join(os.homedir(), '.hermes')) return `~/.hermes/${name}`;
  return path.join(home, name);
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const v = bag[name] ?? bag[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `retry-after-ms` ▸ `retry-after` (seconds or an HTTP date); undefined when absent or nonsense. */
export function parseRetryAfter(headers: HeaderBag | undefined, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const ra = header(headers, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? Math.round(secs * 1000) : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The fields every vendor's error JSON boils down to. */
export interface ErrorFields {
  message?: string;
  type?: string;
  code?: string;
  numericCode?: number;
  /** OpenRouter moderation and similar extras: their presence changes the kind. */
  metadata?: unknown;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads `{error: {...}}`, `{error: "..."}`, Anthropic `{type: "error", error}`, vLLM `{object: "error", ...}`, `{detail}`. */
export function extractErrorFields(value: unknown): ErrorFields {
  if (typeof value === 'string') return { message: value };
  if (typeof value !== 'object' || value === null) return {};
  const obj = value as Record<string, unknown>;
  const inner = obj.error;
  if (typeof inner === 'string') return { message: inner };
  const src = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : obj;
  const fields: ErrorFields = {};
  const message = str(src.message) ?? str(src.detail) ?? str(obj.message) ?? str(obj.detail);
  if (message) fields.message = message;
  const type = str(src.type);
  if (type && type !== 'error') fields.type = type;
  if (typeof src.code === 'number') fields.numericCode = src.code;
  else if (str(src.code)) fields.code = src.code as string;
  if (src.metadata !== undefined) fields.metadata = src.metadata;
  return fields;
}

const CONTEXT_CODES = new Set(['context_length_exceeded', 'exceed_context_size_error', 'model_context_window_exceeded']);
const CONTEXT_PATTERNS = [
  /maximum context length/i,
  /context length/i,
  /context window/i,
  /prompt is too long/i,
  /exceeds the available context size/i,
  /context_length_exceeded/i,
];
const QUOTA_PATTERNS = [/insufficient_quota/i, /exceeded your current quota/i, /credit balance is too low/i, /insufficient credits/i];

function looksLikeHtml(body: string): boolean {
  return /^\s*</.test(body);
}

function snippet(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export interface ClassifyInput {
  /** HTTP status; 0 for an error inside a 200 stream without a usable code. */
  status: number;
  headers?: HeaderBag;
  /** The raw body text (HTTP) or the already-parsed error value (in-band). */
  body?: string;
  parsed?: unknown;
  now?: number;
}

/**
 * Classifies an HTTP or in-band error. The body is read before the status: OpenAI's
 * `insufficient_quota` arrives as a 429 and must not be retried as a rate limit.
 */
export function classifyError(input: ClassifyInput, ctx: ErrorContext): ProviderError {
  let parsed = input.parsed;
  const body = input.body ?? '';
  if (parsed === undefined && body.trim() !== '' && !looksLikeHtml(body)) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const f = extractErrorFields(parsed);
  const status = input.status || f.numericCode || 0;
  const codeOrType = `${f.code ?? ''} ${f.type ?? ''}`;
  const apiMessage = f.message ?? (body && !looksLikeHtml(body) && parsed === undefined ? snippet(body) : undefined);
  const haystack = `${codeOrType} ${apiMessage ?? ''}`;

  let kind: ErrorKind;
  if (QUOTA_PATTERNS.some((p) => p.test(haystack)) || status === 402) kind = 'quota_exhausted';
  else if (
    (f.code && CONTEXT_CODES.has(f.code)) ||
    (f.type && CONTEXT_CODES.has(f.type)) ||
    (status !== 429 && CONTEXT_PATTERNS.some((p) => p.test(apiMessage ?? '')))
  )
    kind = 'context_length_exceeded';
  else if (/overloaded/i.test(codeOrType) || status === 529) kind = 'overloaded';
  else if (/rate_limit/i.test(codeOrType) || status === 429) kind = 'rate_limit';
  else if (/authentication_error|invalid_api_key|permission_error/i.test(codeOrType) || status === 401) kind = 'auth';
  else if (status === 403) kind = f.metadata !== undefined || /moderat|flagged/i.test(apiMessage ?? '') ? 'invalid_request' : 'auth';
  else if (status === 408) kind = 'timeout';
  else if (status === 503) kind = 'overloaded';
  else if (status >= 500 || status === 409 || /server_error|api_error/i.test(codeOrType)) kind = 'server_error';
  else if (status >= 400) kind = 'invalid_request';
  else kind = 'server_error'; // an in-band error without a code: the server failed mid-answer

  let retryable = DEFAULT_RETRYABLE[kind];
  if (!NEVER_RETRY.has(kind)) {
    const should = header(input.headers, 'x-should-retry');
    if (should === 'true') retryable = true;
    else if (should === 'false') retryable = false;
  }
  const retryAfterMs = parseRetryAfter(input.headers, input.now);

  const where = input.status ? `${ctx.provider} (${input.status})` : ctx.provider;
  const what = apiMessage
    ? snippet(apiMessage)
    : looksLikeHtml(body)
      ? 'an HTML error page (a proxy or gateway failed)'
      : body.trim() === ''
        ? 'an empty error body'
        : snippet(body);
  const message = `${LABEL[kind]} from ${where}: ${what}`;
  const init: ProviderErrorInit = { kind, message, hint: hintFor(kind, ctx, status, apiMessage), retryable, provider: ctx.provider };
  if (input.status) init.status = input.status;
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  return new ProviderError({ ...init, message: redactSecrets(init.message, ctx.secrets ?? []) });
}

const LABEL: Record<ErrorKind, string> = {
  auth: 'authentication failed',
  rate_limit: 'rate limited',
  quota_exhausted: 'quota exhausted',
  context_length_exceeded: 'context length exceeded',
  overloaded: 'overloaded',
  server_error: 'server error',
  truncated_stream: 'stream cut short',
  invalid_response: 'invalid response',
  invalid_request: 'request rejected',
  network: 'network error',
  timeout: 'timed out',
  not_configured: 'not configured',
  storage: 'storage error',
  internal: 'internal error',
};

/** The verb phrase used in retry notices: "rate limited by openai (429)". */
export function describeKind(kind: ErrorKind): string {
  return LABEL[kind];
}

const SWITCH_MODEL = 'or switch model with `hermes config set model <provider:model>`';

export function hintFor(kind: ErrorKind, ctx: ErrorContext, status?: number, apiMessage?: string): string {
  const p = ctx.provider;
  switch (kind) {
    case 'auth':
      return ctx.keyEnv
        ? `Check ${ctx.keyEnv}: set a valid key in the environment or in ${homeFile(ctx.home, '.env')}, ${SWITCH_MODEL}.`
        : `The ${p} server refused the request; check its credentials, ${SWITCH_MODEL}.`;
    case 'quota_exhausted':
      return `Add credits or check billing for ${p}, ${SWITCH_MODEL}.`;
    case 'context_length_exceeded':
      return `The conversation is too long for ${ctx.model ?? 'this model'}: start a new session, or pick a model with a larger context window.`;
    case 'rate_limit':
      return `Wait a moment and try again; a \`fallbackModel\` in config is used when retries run out.`;
    case 'overloaded':
      return `${p} is overloaded; try again shortly, or configure a \`fallbackModel\`.`;
    case 'server_error':
      return `${p} failed on its side; try again, or check its status page.`;
    case 'truncated_stream':
      return `The connection to ${p} ended mid-reply; try again.`;
    case 'invalid_response':
      return `${p} sent something hermes could not read; try again, or try another model.`;
    case 'invalid_request':
      if (status === 404 || /not.?found/i.test(apiMessage ?? ''))
        return p === 'ollama' && ctx.model
          ? `Pull the model first: \`ollama pull ${ctx.model}\`, or pick another with \`hermes config set model ollama:<name>\`.`
          : `Check the model name ${ctx.model ? `"${ctx.model}" ` : ''}for ${p}, ${SWITCH_MODEL}.`;
      if (status === 413) return 'The request is too large; start a new session or shorten the input.';
      return `${p} rejected the request; the message above says why.`;
    case 'network':
      return p === 'ollama'
        ? `Is Ollama running? Start it with \`ollama serve\` (${ctx.baseUrl ?? 'http://localhost:11434'}).`
        : `Check your network and that ${ctx.baseUrl ?? p} is reachable.`;
    case 'timeout':
      return `${p} did not answer in time; try again, or raise \`timeouts.firstByteMs\` / \`timeouts.idleMs\` in config.`;
    case 'not_configured':
      return 'Set HERMES_MODEL, run `hermes config set model openai:gpt-4.1`, or start Ollama.';
    case 'storage':
      return 'The disk holding HERMES_HOME would not take the write; free space or fix it, then try again.';
    case 'internal':
      return 'This is a bug in hermes; please report it.';
  }
}

/** A failure below HTTP: refused, reset, DNS. */
export function networkError(err: unknown, ctx: ErrorContext): ProviderError {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  return new ProviderError({
    kind: 'network',
    message: redactSecrets(
      `network error talking to ${ctx.provider}${ctx.baseUrl ? ` at ${ctx.baseUrl}` : ''}: ${code ?? msg}`,
      ctx.secrets ?? [],
    ),
    hint: hintFor('network', ctx),
    retryable: true,
    provider: ctx.provider,
  });
}

export function simpleError(
  kind: ErrorKind,
  message: string,
  ctx: ErrorContext,
  retryable: boolean = DEFAULT_RETRYABLE[kind],
): ProviderError {
  return new ProviderError({
    kind,
    message: redactSecrets(message, ctx.secrets ?? []),
    hint: hintFor(kind, ctx),
    retryable,
    provider: ctx.provider,
  });
}
