import { GetSessionResponse, ListSessionsResponse, ModelListing } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderServer } from './provider-server/index.mjs';
import { hermes } from './support/cli.js';
import { runInPty } from './support/pty.js';
import { api, rawRequest, removeHome, startTestDaemon, tempHome, type TestDaemon } from './support/daemon.js';

/** A new user's first minutes: nothing configured, then a provider and a model (issue 12 items 2 and 19). */
describe('first run, nothing configured', () => {
  let provider: Awaited<ReturnType<typeof startProviderServer>>;
  let d: TestDaemon;
  let home: string;
  const run = (args: string[]) => hermes(args, { home, env: { OLLAMA_HOST: 'http://127.0.0.1:9', HERMES_MODEL: '' } });
  beforeAll(async () => {
    provider = await startProviderServer();
    home = await tempHome();
    d = await startTestDaemon({ home, agent: 'real', env: { OLLAMA_HOST: 'http://127.0.0.1:9', HERMES_MODEL: '' } });
  });
  afterAll(async () => {
    await d.kill();
    await provider.close();
    await removeHome(home);
  });

  it('the chat says on its first screen that no model is configured', async () => {
    const tui = runInPty(['chat'], { home, env: { OLLAMA_HOST: 'http://127.0.0.1:9', HERMES_MODEL: '' } });
    try {
      await tui.waitFor('No model is configured yet', 20_000);
      expect(tui.text()).toContain(`${home}/.env`);
      tui.type('\x04');
      expect(await tui.exited).toBe(0);
    } finally {
      tui.kill();
    }
  });

  it('a session made before a model was configured follows the model configured later', async () => {
    const models = ModelListing.parse((await rawRequest(d.state, 'GET', '/v1/models')).json());
    expect(models.default).toBeNull();

    const first = await run(['send', 'hi']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('No model is configured');
    const id = /session (\S+)/.exec(first.stderr)![1]!;
    const started = (await api.get(d.state, id)).session;
    expect(started.model).toBeNull();
    // Says that nothing is configured rather than a made-up "default model".
    expect((await run(['sessions', 'show', id])).stdout).toContain(' · no model configured · ');

    expect(
      (await run(['config', 'set', 'providers.local', JSON.stringify({ type: 'openai', baseUrl: provider.openaiBaseUrl })])).code,
    ).toBe(0);
    expect((await run(['config', 'set', 'model', 'local:scripted'])).code).toBe(0);
    const again = await run(['send', '-c', 'hi again']);
    expect(again.stderr).not.toContain('unset');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('You said: hi again\n');
    expect(ModelListing.parse((await rawRequest(d.state, 'GET', '/v1/models')).json()).default).toBe('local:scripted');

    // Every client names the model the session follows, marked as the default, and follows a change.
    expect(GetSessionResponse.parse((await rawRequest(d.state, 'GET', `/v1/sessions/${id}`)).json()).defaultModel).toBe('local:scripted');
    const list = await run(['sessions', 'list']);
    expect(list.stdout.split('\n').find((l) => l.startsWith(id))).toMatch(/\slocal:scripted \(default\)\s/);
    expect((await run(['config', 'set', 'model', 'local:other'])).code).toBe(0);
    expect((await run(['sessions', 'show', id])).stdout).toContain(' · local:other (default) · ');
    expect(ListSessionsResponse.parse((await rawRequest(d.state, 'GET', '/v1/sessions')).json()).defaultModel).toBe('local:other');
    expect((await run(['config', 'set', 'model', 'local:scripted'])).code).toBe(0);
  });

  it('refuses a model of an unknown provider when it is chosen, not at the next run', async () => {
    const { id } = await api.createSession(d.state, {});
    const patch = await rawRequest(d.state, 'PATCH', `/v1/sessions/${id}`, { body: JSON.stringify({ model: 'nope:x' }) });
    expect(patch.status).toBe(400);
    expect(patch.json().error.message).toMatch(/unknown provider "nope".*known providers: .*local/);
    expect(patch.json().error.message).toContain(`${home}/config.json`);
    const create = await rawRequest(d.state, 'POST', '/v1/sessions', { body: JSON.stringify({ model: 'nope:x' }) });
    expect(create.status).toBe(400);
    const post = await api.post(d.state, id, 'hello', { model: 'nope:x' });
    expect(post.status).toBe(400);
    // A provider from the config is known.
    const ok = await rawRequest(d.state, 'PATCH', `/v1/sessions/${id}`, { body: JSON.stringify({ model: 'local:other' }) });
    expect(ok.status).toBe(200);

    const send = await run(['send', '-m', 'nope:x', 'hi']);
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('unknown provider "nope"');
  });
});
