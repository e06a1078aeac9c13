import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { removeHome, tempHome } from './support/daemon.js';

/** `hermes config` and its defaults (issue 12 item 27); no daemon is needed. */
describe('hermes config: defaults, partial prices, unknown keys', () => {
  let home: string;
  const run = (args: string[]) => hermes(['config', ...args], { home });
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it('sets one price field alone, then the other', async () => {
    const one = await run(['set', 'prices.local:m\\.1.inputPerMTok', '2']);
    expect(one.stderr).toBe('prices.local:m\\.1.inputPerMTok = 2\n');
    expect(one.code).toBe(0);
    expect((await run(['set', 'prices.local:m\\.1.outputPerMTok', '8'])).code).toBe(0);
    expect((await run(['get', 'prices.local:m\\.1'])).stdout).toBe('{\n  "inputPerMTok": 2,\n  "outputPerMTok": 8\n}\n');
  });

  it('get --effective shows the default of a key that is not set; plain get says where to look', async () => {
    const eff = await run(['get', '--effective', 'agent.maxIterations']);
    expect(eff.code).toBe(0);
    expect(eff.stdout).toBe('50\n');
    expect(eff.stderr).toBe('(default)\n');
    const plain = await run(['get', 'agent.maxIterations']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('hermes config get --effective agent.maxIterations');
    expect((await run(['get', '--effective', 'fallbackModel'])).stderr).toContain('is not set and has no default');
    expect((await run(['set', 'agent.maxIterations', '7'])).code).toBe(0);
    const set = await run(['get', '--effective', 'agent.maxIterations']);
    expect(set.stdout).toBe('7\n');
    expect(set.stderr).toBe('');
  });

  it('list --defaults shows every default, marking what the file does not set', async () => {
    const r = await run(['list', '--defaults']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('agent.maxIterations = 7');
    expect(lines).toContain('approvals.mode = "ask"  (default)');
    expect(lines).toContain('timeouts.firstByteMs = 60000  (default)');
    expect(lines).toContain('prices.local:m\\.1.inputPerMTok = 2');
    const plain = await run(['list']);
    expect(plain.stdout).not.toContain('(default)');
    expect(plain.stdout).not.toContain('approvals.mode');
  });

  it('unset of an unknown key is an unknown key (exit 2), as get is', async () => {
    const r = await run(['unset', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown config key "nosuch"');
    expect((await run(['get', 'nosuch'])).stderr).toBe(r.stderr);
    const known = await run(['unset', 'fallbackModel']);
    expect(known.code).toBe(0);
    expect(known.stderr).toBe('fallbackModel was not set\n');
  });
});
