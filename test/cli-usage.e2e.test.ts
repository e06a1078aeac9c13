import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { api, rawRequest, removeHome, startTestDaemon, tempHome, type TestDaemon } from './support/daemon.js';
import { runInPty } from './support/pty.js';

/** Misuse of the command line (issue 12 items 9 and 12): exit 2, the subcommand's own help, no daemon started. */
describe('usage errors', () => {
  let home: string;
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    // None of these may have started a daemon.
    await expect(access(path.join(home, 'daemon.json'))).rejects.toThrow();
    await removeHome(home);
  });
  const run = (args: string[]) => hermes(args, { home });

  it.each([
    [['send', '--approve', 'maybe', 'x'], /argument 'maybe' is invalid/, 'hermes send --help'],
    [['send', '--bogus', 'x'], /unknown option '--bogus'/, 'hermes send --help'],
    [['send', '--approval-timeout', 'abc', 'x'], /argument 'abc' is invalid. Expected a whole number/, 'hermes send --help'],
    [['sessions', 'list', '-n', 'abc'], /argument 'abc' is invalid. Expected a whole number/, 'hermes sessions list --help'],
    [['sessions', 'show'], /missing required argument 'id'/, 'hermes sessions show --help'],
    [['daemon', 'logs', '-n', '-3'], /Expected a whole number/, 'hermes daemon logs --help'],
  ])('%j exits 2 and points to its own help', async (args, message, help) => {
    const r = await run(args);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`(run \`${help}\` for usage)`);
    expect(r.code).toBe(2);
  });

  it('chat and send reject a missing workspace the same way', async () => {
    const chat = await run(['chat', '-w', '/nonexistent/dir']);
    const send = await run(['send', '-w', '/nonexistent/dir', 'x']);
    expect(chat.code).toBe(2);
    expect(send.code).toBe(2);
    expect(chat.stderr).toBe('hermes: --workspace /nonexistent/dir: no such folder\n');
    expect(send.stderr).toBe(chat.stderr);
  });

  it('chat -m bad is a clean usage error, like send -m bad', async () => {
    const chat = await run(['chat', '-m', 'bad']);
    const send = await run(['send', '-m', 'bad', 'x']);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toMatch(/^hermes: --model bad: a model is named provider:model/);
    expect(send.stderr).toBe(chat.stderr);
  });

  it('a lone word that looks like a mistyped command says so', async () => {
    const r = await run(['sesions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "sesions" (did you mean `hermes sessions`?)');
    expect(r.stderr).not.toContain('too many arguments');
    // Help and version still exit 0.
    expect((await run(['--help'])).code).toBe(0);
    expect((await run(['sessions', '--help'])).code).toBe(0);
    expect((await run(['--version'])).code).toBe(0);
  });
});

describe('hermes "message" starts a chat with it', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon();
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('sends the words as the first message and shows the reply', async () => {
    const tui = runInPty(['say', 'hello-from-the-args'], { home: d.home });
    try {
      await tui.waitFor(/hello-from-the-args[\s\S]*hello-from-the-args/, 20_000);
      await tui.waitFor('● idle');
      tui.type('\x04');
      expect(await tui.exited).toBe(0);
    } finally {
      tui.kill();
    }
    const { sessions } = (await rawRequest(d.state, 'GET', '/v1/sessions')).json() as { sessions: { id: string }[] };
    const got = await api.get(d.state, sessions[0]!.id);
    expect(got.transcript.items[0]).toMatchObject({ kind: 'user', text: 'say hello-from-the-args' });
  });
});
