import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authHeaders, parseModelName, probeOllama, resolveModel } from './registry.js';
import { hintFor } from './errors.js';
import { parseEnvFile } from './env-file.js';
import { knownContextWindow } from './context-window.js';

describe('parseModelName', () => {
  it('splits at the first colon', () => {
    expect(parseModelName('ollama:qwen3:8b')).toEqual({ provider: 'ollama', model: 'qwen3:8b' });
    expect(parseModelName('openrouter:anthropic/claude-sonnet-4.5')).toEqual({
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.5',
    });
    expect(parseModelName('gpt-4.1')).toBeNull();
    expect(parseModelName('openai:')).toBeNull();
  });
});

describe('resolveModel', () => {
  it('resolves built-ins with keys from the env map and base URL overrides', () => {
    const r = resolveModel('openai:gpt-4.1', { env: { OPENAI_API_KEY: 'sk-1', OPENAI_BASE_URL: 'http://proxy/v1/' } });
    expect(r.ok && r.model).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1',
      type: 'openai',
      baseUrl: 'http://proxy/v1',
      apiKey: 'sk-1',
      contextWindow: 1_047_576,
    });
    const a = resolveModel('anthropic:claude-sonnet-4-5', { env: { ANTHROPIC_API_KEY: 'ak' } });
    expect(a.ok && authHeaders(a.model)).toEqual({ 'anthropic-version': '2023-06-01', 'x-api-key': 'ak' });
    const o = resolveModel('ollama:qwen3:8b', { env: { OLLAMA_HOST: '0.0.0.0:11500' } });
    expect(o.ok && o.model).toMatchObject({ baseUrl: 'http://127.0.0.1:11500/v1', model: 'qwen3:8b' });
    expect(o.ok && o.model.apiKey).toBeUndefined();
  });

  it('names the real HERMES_HOME in hints, ~/.hermes only when that is the home (issue 12 item 13)', () => {
    const home = '/srv/hermes-state';
    const unknown = resolveModel('nope:x', { env: {}, home });
    expect(!unknown.ok && unknown.error.hint).toContain('/srv/hermes-state/config.json');
    expect(!unknown.ok && unknown.error.hint).not.toContain('~/.hermes');
    const noKey = resolveModel('openai:gpt-4.1', { env: {}, home });
    expect(!noKey.ok && noKey.error.hint).toContain('/srv/hermes-state/.env');
    expect(hintFor('auth', { provider: 'openai', keyEnv: 'OPENAI_API_KEY', home })).toContain('/srv/hermes-state/.env');
    const usual = resolveModel('openai:gpt-4.1', { env: {}, home: path.join(os.homedir(), '.hermes') });
    expect(!usual.ok && usual.error.hint).toContain('~/.hermes/.env');
  });

  it('returns typed errors: no model, unknown provider, missing key', () => {
    const none = resolveModel(null, { env: {} });
    expect(!none.ok && none.error).toMatchObject({ kind: 'not_configured' });
    expect(!none.ok && none.error.hint).toContain('HERMES_MODEL');
    const unknown = resolveModel('nope:x', { env: {} });
    expect(!unknown.ok && unknown.error.kind).toBe('not_configured');
    const nokey = resolveModel('openrouter:x/y', { env: {} });
    expect(!nokey.ok && nokey.error).toMatchObject({ kind: 'auth', retryable: false });
    expect(!nokey.ok && nokey.error.hint).toContain('OPENROUTER_API_KEY');
    expect(!nokey.ok && nokey.error.hint).toContain('hermes config set model');
  });

  it('lets config providers add and override; their key comes only from their own apiKeyEnv', () => {
    const config = {
      providers: {
        openai: { type: 'openai' as const, baseUrl: 'http://elsewhere/v1' },
        local: {
          type: 'anthropic' as const,
          baseUrl: 'http://127.0.0.1:9/',
          apiKeyEnv: 'LOCAL_KEY',
          contextWindow: 1234,
          streamUsage: false,
          headers: { 'x-extra': '1' },
        },
      },
    };
    const env = { OPENAI_API_KEY: 'sk-secret', LOCAL_KEY: 'lk' };
    const o = resolveModel('openai:gpt-4.1', { config, env });
    expect(o.ok && o.model.apiKey).toBeUndefined();
    expect(o.ok && authHeaders(o.model)).toEqual({});
    const l = resolveModel('local:m', { config, env });
    expect(l.ok && l.model).toMatchObject({
      type: 'anthropic',
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'lk',
      contextWindow: 1234,
      streamUsage: false,
    });
    expect(l.ok && authHeaders(l.model)).toEqual({ 'x-extra': '1', 'anthropic-version': '2023-06-01', 'x-api-key': 'lk' });
  });

  it('knows context windows by prefix', () => {
    expect(knownContextWindow('anthropic/claude-sonnet-4.5')).toBe(200_000);
    expect(knownContextWindow('Hermes-4-405B')).toBe(131_072);
    expect(knownContextWindow('mystery')).toBeUndefined();
  });
});

describe('probeOllama', () => {
  it('returns the first model, or null when nothing answers in time', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/api/tags') res.end(JSON.stringify({ models: [{ name: 'qwen3:8b' }, { name: 'llama3.2' }] }));
      else res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await probeOllama(`http://127.0.0.1:${port}`)).toBe('qwen3:8b');
    } finally {
      server.closeAllConnections();
      server.close();
    }
    expect(await probeOllama(`http://127.0.0.1:${port}`)).toBeNull();
  });
});

describe('parseEnvFile', () => {
  it('reads KEY=VALUE with quotes, export, comments and CRLF', () => {
    const text = [
      '\uFEFF# comment',
      'export OPENAI_API_KEY=sk-abc # trailing comment',
      'ANTHROPIC_API_KEY = "ak-\\"quoted\\"\\nline"',
      "SINGLE='literal # not a comment \\n'",
      'EMPTY=',
      'HASH=abc#def',
      'not a line',
      '  # INDENTED=comment',
      'MULTI="a',
      'b"',
      'URL=http://x:1/v1\r',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({
      OPENAI_API_KEY: 'sk-abc',
      ANTHROPIC_API_KEY: 'ak-"quoted"\nline',
      SINGLE: 'literal # not a comment \\n',
      EMPTY: '',
      HASH: 'abc#def',
      MULTI: 'a\nb',
      URL: 'http://x:1/v1',
    });
  });
});

describe('contextWindowFor', () => {
  it('prefers the provider config, then the table', async () => {
    const { contextWindowFor } = await import('./context-window.js');
    expect(contextWindowFor('local:anything', { local: { contextWindow: 4096 } })).toBe(4096);
    expect(contextWindowFor('openrouter:openai/gpt-4o')).toBe(128_000);
  });
});
