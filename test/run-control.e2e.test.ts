import { afterEach, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { api, rawRequest, removeHome, startTestDaemon, type TestDaemon } from './support/daemon.js';

/** Stopping runs from the command line (issue 12 items 26 and 29). */
describe('sessions cancel, sessions rm --force, daemon stop/restart during a run', () => {
  let d: TestDaemon | undefined;
  afterEach(async () => {
    if (d) {
      await d.kill();
      await removeHome(d.home);
      d = undefined;
    }
  });
  const untilStatus = async (daemon: TestDaemon, id: string, status: string) => {
    for (let i = 0; i < 200; i++) {
      if ((await api.get(daemon.state, id)).session.status === status) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`session ${id} never became ${status}`);
  };

  it('sessions cancel stops the run; rm of a running session says how, and --force cancels and removes', async () => {
    d = await startTestDaemon();
    const run = (args: string[]) => hermes(args, { home: d!.home });
    const id = (await run(['send', '--detach', 'wait', '60000'])).stdout.trim();
    await untilStatus(d, id, 'running');
    expect((await run(['send', '--detach', '-s', id, 'say', 'next'])).code).toBe(0);

    const refused = await run(['sessions', 'rm', id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`hermes sessions cancel ${id}`);
    expect(refused.stderr).toContain(`hermes sessions rm --force ${id}`);

    const cancel = await run(['sessions', 'cancel', id]);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`^cancelled run run_\\S+ of ${id}`));
    expect(cancel.stderr).toContain('1 queued message will run next');
    // The queued message runs next (the session is idle for a moment in between: wait for its reply).
    const users = async () =>
      (await api.get(d!.state, id)).transcript.items
        .filter((i: { kind: string }) => i.kind === 'user')
        .map((i: { text: string }) => i.text);
    for (let i = 0; i < 200 && (await users()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await users()).toEqual(['wait 60000', 'say next']);
    await untilStatus(d, id, 'idle');
    const idle = await run(['sessions', 'cancel', id]);
    expect(idle.code).toBe(0);
    expect(idle.stderr).toContain('has no run in progress');

    // --force: a long run with another queued behind it; both stop, the session goes.
    const busy = (await run(['send', '--detach', 'wait', '60000'])).stdout.trim();
    await untilStatus(d, busy, 'running');
    await run(['send', '--detach', '-s', busy, 'wait', '60000']);
    const forced = await run(['sessions', 'rm', '--force', busy]);
    expect(forced.stderr).toContain('cancelled run');
    expect(forced.stdout).toContain(`deleted ${busy}`);
    expect(forced.code).toBe(0);
    expect((await rawRequest(d.state, 'GET', `/v1/sessions/${busy}`)).status).toBe(404);
  }, 60_000);

  it('daemon stop and daemon restart both refuse during a run without --force, naming it; with --force both say what they interrupted', async () => {
    d = await startTestDaemon();
    const run = (args: string[]) => hermes(args, { home: d!.home });
    const id = (await run(['send', '--detach', '--title', 'long job', 'wait', '60000'])).stdout.trim();
    await untilStatus(d, id, 'running');

    for (const verb of ['stop', 'restart']) {
      const r = await run(['daemon', verb]);
      expect(r.code, verb).toBe(1);
      expect(r.stderr).toContain('the daemon has 1 run in progress');
      expect(r.stderr).toContain(`${id}  long job`);
      expect(r.stderr).toContain(`hermes daemon ${verb} --force   ${verb}s anyway: the run ends as interrupted`);
    }
    expect(d.proc.exitCode).toBeNull();

    const stop = await run(['daemon', 'stop', '--force']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe('hermes daemon stopped\n');
    expect(stop.stderr).toContain(`interrupted 1 run:\n  ${id}  long job`);
    await d.kill();
  }, 60_000);
});
