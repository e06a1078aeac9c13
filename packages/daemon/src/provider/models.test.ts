import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from './models.js';

describe('listModels', () => {
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: [{ id: 'm2' }, { id: 'm1' }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('offers only models whose provider can be used and answers; says why the others are missing (issue 12 item 30)', async () => {
    const listing = await listModels({
      config: {
        model: 'local:m1',
        fallbackModel: 'dead:x',
        providers: { local: { type: 'openai', baseUrl }, dead: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
      },
      env: { OLLAMA_HOST: 'http://127.0.0.1:9' },
      sessionModels: ['openai:gpt-4.1', 'nope:x', 'local:old'],
    });
    expect(listing.models).toEqual([
      { id: 'local:m1', source: 'config' },
      { id: 'local:old', source: 'session' },
      { id: 'local:m2', source: 'provider' },
    ]);
    const why = Object.fromEntries(listing.errors.map((e) => [e.provider, e.message]));
    expect(why.openai).toContain('OPENAI_API_KEY is not set');
    expect(why.nope).toContain('unknown provider');
    expect(why.dead).toBeTruthy();
    // Keyless built-ins nobody refers to (ollama not running here) stay quiet; anthropic has no key and no mention.
    expect(Object.keys(why).sort()).toEqual(['dead', 'nope', 'openai']);
    expect(listing.default).toBe('local:m1');
  });

  it('default: the config model, else HERMES_MODEL, else null (nothing configured)', async () => {
    const env = { OLLAMA_HOST: 'http://127.0.0.1:9' };
    expect((await listModels({ config: {}, env: { ...env, HERMES_MODEL: 'openai:gpt-4.1' }, sessionModels: [] })).default).toBe(
      'openai:gpt-4.1',
    );
    expect((await listModels({ config: {}, env: { ...env, HERMES_MODEL: ' ' }, sessionModels: [] })).default).toBeNull();
  });
});
