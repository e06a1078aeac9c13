import { describe, expect, it } from 'vitest';
import { classifyError, networkError, parseRetryAfter } from './errors.js';
import { redactSecrets } from '../util/redact.js';

const ctx = { provider: 'openai', model: 'gpt-4.1', keyEnv: 'OPENAI_API_KEY', secrets: ['sk-live-SECRETSECRET'] };

describe('classifyError', () => {
  const table: [
    string,
    { status: number; body?: string; headers?: Record<string, string> },
    { kind: string; retryable: boolean; retryAfterMs?: number },
  ][] = [
    [
      'OpenAI insufficient_quota arrives as 429',
      {
        status: 429,
        body: '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}',
      },
      { kind: 'quota_exhausted', retryable: false },
    ],
    [
      'OpenAI rate limit',
      {
        status: 429,
        body: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}',
        headers: { 'retry-after': '2' },
      },
      { kind: 'rate_limit', retryable: true, retryAfterMs: 2000 },
    ],
    [
      'OpenAI context length',
      {
        status: 400,
        body: '{"error":{"message":"This model\'s maximum context length is 128000 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}',
      },
      { kind: 'context_length_exceeded', retryable: false },
    ],
    [
      'DeepSeek context by message only',
      {
        status: 400,
        body: '{"error":{"message":"This model\'s maximum context length is 65536 tokens. However, you requested 70000","type":"invalid_request_error","code":"invalid_request_error"}}',
      },
      { kind: 'context_length_exceeded', retryable: false },
    ],
    [
      'llama.cpp context',
      {
        status: 400,
        body: '{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_ctx":4096}}',
      },
      { kind: 'context_length_exceeded', retryable: false },
    ],
    [
      'Anthropic prompt too long',
      {
        status: 400,
        body: '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}',
      },
      { kind: 'context_length_exceeded', retryable: false },
    ],
    [
      'Anthropic overloaded 529',
      { status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' },
      { kind: 'overloaded', retryable: true },
    ],
    [
      'Anthropic auth',
      { status: 401, body: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}' },
      { kind: 'auth', retryable: false },
    ],
    [
      'Anthropic credit balance',
      {
        status: 400,
        body: '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}',
      },
      { kind: 'quota_exhausted', retryable: false },
    ],
    [
      'Anthropic 413',
      {
        status: 413,
        body: '{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}',
      },
      { kind: 'invalid_request', retryable: false },
    ],
    [
      'OpenRouter 402 credits',
      { status: 402, body: '{"error":{"code":402,"message":"Insufficient credits"}}' },
      { kind: 'quota_exhausted', retryable: false },
    ],
    [
      'OpenRouter 403 moderation',
      { status: 403, body: '{"error":{"code":403,"message":"Input was flagged","metadata":{"reasons":["violence"]}}}' },
      { kind: 'invalid_request', retryable: false },
    ],
    [
      'OpenRouter 502',
      { status: 502, body: '{"error":{"code":502,"message":"Provider returned error"}}' },
      { kind: 'server_error', retryable: true },
    ],
    [
      'OpenRouter 503 no provider',
      { status: 503, body: '{"error":{"code":503,"message":"No available provider"}}' },
      { kind: 'overloaded', retryable: true },
    ],
    [
      'vLLM old unwrapped shape',
      { status: 400, body: '{"object":"error","message":"bad param","type":"BadRequestError","code":400}' },
      { kind: 'invalid_request', retryable: false },
    ],
    [
      'Ollama model not found',
      {
        status: 404,
        body: '{"error":{"message":"model \\"x\\" not found, try pulling it first","type":"not_found_error","param":null,"code":null}}',
      },
      { kind: 'invalid_request', retryable: false },
    ],
    ['HTML gateway page', { status: 502, body: '<html><body>Bad Gateway</body></html>' }, { kind: 'server_error', retryable: true }],
    ['empty body 500', { status: 500, body: '' }, { kind: 'server_error', retryable: true }],
    ['408 timeout', { status: 408, body: '' }, { kind: 'timeout', retryable: true }],
    [
      'x-should-retry false wins over 500',
      { status: 500, body: '', headers: { 'x-should-retry': 'false' } },
      { kind: 'server_error', retryable: false },
    ],
    [
      'x-should-retry true on a 400',
      { status: 400, body: '{"error":{"message":"odd"}}', headers: { 'x-should-retry': 'true' } },
      { kind: 'invalid_request', retryable: false },
    ],
    [
      'x-should-retry true never makes quota retryable',
      { status: 429, body: '{"error":{"code":"insufficient_quota","message":"q"}}', headers: { 'x-should-retry': 'true' } },
      { kind: 'quota_exhausted', retryable: false },
    ],
    [
      'retry-after-ms beats retry-after',
      { status: 429, body: '', headers: { 'retry-after-ms': '1500', 'retry-after': '9' } },
      { kind: 'rate_limit', retryable: true, retryAfterMs: 1500 },
    ],
    ['plain-text body', { status: 400, body: 'Bad Request: missing model' }, { kind: 'invalid_request', retryable: false }],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => {
      const e = classifyError(input, ctx);
      expect({ kind: e.kind, retryable: e.retryable, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) }).toEqual(
        expected,
      );
      expect(e.hint.length).toBeGreaterThan(10);
      expect(e.status).toBe(input.status);
    });
  }

  it('never leaks the key into messages', () => {
    const e = classifyError(
      { status: 401, body: '{"error":{"message":"Incorrect API key provided: sk-live-SECRETSECRET. Also Bearer abcdefghijklmnop"}}' },
      ctx,
    );
    expect(e.message).not.toContain('SECRETSECRET');
    expect(e.message).not.toContain('abcdefghijklmnop');
    expect(e.kind).toBe('auth');
    expect(e.hint).toContain('OPENAI_API_KEY');
    expect(redactSecrets('key sk-ant-api03-abcdefghijkl')).toBe('key sk-ant-[redacted]');
  });

  it('says HTML or empty instead of dumping the body', () => {
    expect(classifyError({ status: 502, body: '<!DOCTYPE html><html>…' }, ctx).message).toContain('HTML error page');
    expect(classifyError({ status: 500, body: '' }, ctx).message).toContain('empty error body');
  });

  it('classifies network failures as retryable with a reachability hint', () => {
    const e = networkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), {
      provider: 'ollama',
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(e).toMatchObject({ kind: 'network', retryable: true });
    expect(e.hint).toContain('ollama serve');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, HTTP dates and ms, ignoring nonsense', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after-ms': '250.5' }, now)).toBe(251);
    expect(parseRetryAfter(new Headers({ 'Retry-After': '1' }), now)).toBe(1000);
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });
});
