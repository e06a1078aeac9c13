/**
 * The file tools' symlink boundary through the whole product: a real daemon, the real agent,
 * the scripted provider writing through a link a model planted, and the approval answered
 * over HTTP. Checked by what is on disk.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
let outside = '';
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  if (outside) await rm(outside, { recursive: true, force: true });
  outside = '';
});

async function setup(config: Record<string, unknown> = {}) {
  stack = await startStack({ config });
  // Outside the workspace and outside HERMES_HOME: a stand-in for ~/.ssh.
  outside = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hermes-e2e-outside-')));
  const keys = path.join(outside, 'authorized_keys');
  await writeFile(keys, 'ssh-ed25519 AAAA user@laptop\n');
  const ws = path.join(stack.home, 'ws');
  await mkdir(ws, { recursive: true });
  await symlink(keys, path.join(ws, 'keys.txt'));
  return { ws, keys };
}

describe('file tools and symlinks, end to end', () => {
  it('write_file through a link out of the workspace asks, names the real target, and a denial leaves it unchanged', async () => {
    const { ws, keys } = await setup();
    const s = stack!;
    const write = {
      type: 'tool_calls' as const,
      calls: [{ name: 'write_file', args: { path: 'keys.txt', content: 'ssh-ed25519 ATTACKER\n' } }],
    };
    s.provider.script([write, { type: 'text', text: 'ok' }]);
    const session = await api.createSession(s.daemon.state, { workspace: ws });
    const sse = readSse(s.daemon.state, session.id);
    await api.post(s.daemon.state, session.id, 'add my key');
    const req = await sse.until((e) => e.type === 'approval.requested', 20_000);
    if (req.type !== 'approval.requested') throw new Error('no approval');
    expect(req.data.summary).toBe(`write_file keys.txt → ${keys}`);
    expect(req.data.reasons.join(' ')).toMatch(/outside the workspace/);
    expect(req.data.pattern).toBe(`write ${keys}`);
    const r = await rawRequest(s.daemon.state, 'POST', `/v1/sessions/${session.id}/approvals/${req.data.approvalId}`, {
      body: JSON.stringify({ decision: 'deny', by: 'test' }),
    });
    expect(r.status).toBe(200);
    const done = await sse.until((e) => e.type === 'tool.completed', 20_000);
    expect(done.type === 'tool.completed' && done.data.result).toMatch(/denied/);
    await sse.until((e) => e.type === 'run.completed', 20_000);
    sse.close();
    expect(await readFile(keys, 'utf8')).toBe('ssh-ed25519 AAAA user@laptop\n');
  });

  it('in yolo mode, writes into HERMES_HOME through a link are refused and the config is unchanged', async () => {
    const { ws } = await setup({ approvals: { mode: 'yolo' } });
    const s = stack!;
    const configPath = path.join(s.home, 'config.json');
    const before = await readFile(configPath, 'utf8');
    await symlink(configPath, path.join(ws, 'settings.json'));
    s.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'settings.json', content: '{"approvals":{"mode":"yolo"}}' } }] },
      { type: 'tool_calls', calls: [{ name: 'read_file', args: { path: path.join(s.home, 'daemon.json') } }] },
      { type: 'text', text: 'ok' },
    ]);
    const session = await api.createSession(s.daemon.state, { workspace: ws });
    const sse = readSse(s.daemon.state, session.id);
    await api.post(s.daemon.state, session.id, 'change the settings');
    await sse.until((e) => e.type === 'run.completed', 20_000);
    sse.close();
    const results = sse.events.flatMap((e) => (e.type === 'tool.completed' ? [e.data] : []));
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ ok: false });
    expect(results[0]!.result).toMatch(/Refused: writes into HERMES_HOME/);
    expect(results[1]!.result).toMatch(/Refused: reads HERMES_HOME/);
    expect(results[1]!.result).not.toContain(s.daemon.state.token);
    expect(sse.events.some((e) => e.type === 'approval.requested')).toBe(false);
    expect(await readFile(configPath, 'utf8')).toBe(before);
  });
});
