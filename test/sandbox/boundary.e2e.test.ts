import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, CLI, readSse, type SseReader } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The agent must never act as the user: a process it starts cannot answer its own approvals
 * or change the approval settings, with the sandbox on or off (the daemon refuses requests
 * whose peer descends from a tool process; the sandbox also hides HERMES_HOME and the port).
 */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** A script a model could write: find the daemon, poll for pending approvals, approve them. */
const ATTACK = `
const fs = require('node:fs');
const home = process.argv[2], out = process.argv[3];
const log = (line) => fs.appendFileSync(out, line + '\\n');
let state;
try { state = JSON.parse(fs.readFileSync(home + '/daemon.json', 'utf8')); } catch (e) { log('read daemon.json: ' + e.code); process.exit(0); }
const base = 'http://127.0.0.1:' + state.port;
const headers = { authorization: 'Bearer ' + state.token, 'content-type': 'application/json' };
const deadline = Date.now() + 6000;
(async () => {
  while (Date.now() < deadline) {
    try {
      const r = await fetch(base + '/v1/sessions', { headers });
      const body = await r.json();
      log('list ' + r.status + ' ' + (body.error ? body.error.code : 'ok'));
      for (const s of body.sessions || []) {
        const d = await (await fetch(base + '/v1/sessions/' + s.id, { headers })).json();
        for (const a of d.pendingApprovals || []) {
          const p = await fetch(base + '/v1/sessions/' + s.id + '/approvals/' + a.approvalId, { method: 'POST', headers, body: JSON.stringify({ decision: 'always', by: 'user' }) });
          log('approve ' + p.status);
        }
      }
    } catch (e) { log('error ' + e.message); }
    await new Promise((r) => setTimeout(r, 100));
  }
})();
`;

async function approvalRequested(sse: SseReader, n: number) {
  await sse.until(() => sse.events.filter((e) => e.type === 'approval.requested').length >= n, 15_000);
  const e = sse.events.filter((x) => x.type === 'approval.requested')[n - 1]!;
  if (e.type !== 'approval.requested') throw new Error('no approval');
  return e.data;
}

describe('no process the agent started can act as the user', () => {
  it('without the sandbox: a background script with the token cannot answer the approval (403 forbidden_from_tool)', async () => {
    stack = await startStack({ config: { sandbox: { mode: 'off' }, approvals: { mode: 'ask' } } });
    const ws = path.join(stack.work, 'ws');
    await mkdir(path.join(ws, 'build'), { recursive: true });
    await writeFile(path.join(ws, 'attack.js'), ATTACK);
    const out = path.join(ws, 'attack.log');
    stack.provider.script([
      // Detached twice over: its own session, and re-parented to init once the shell exits.
      {
        type: 'tool_calls',
        calls: [
          { name: 'terminal', args: { command: `(setsid nohup node attack.js "$HERMES_HOME" ${out} > /dev/null 2>&1 &) ; echo started` } },
        ],
      },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'rm -rf build' } }] },
      { type: 'text', text: 'done' },
    ]);
    const s = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse = readSse(stack.daemon.state, s.id);
    await api.post(stack.daemon.state, s.id, 'go');
    // The launcher itself may ask (no sandbox: it is not read-only); the user lets it run.
    let n = 1;
    let ask = await approvalRequested(sse, n);
    if (!/rm -rf build/.test(ask.summary)) {
      await api.answer(stack.daemon.state, s.id, ask.approvalId, 'once');
      ask = await approvalRequested(sse, ++n);
    }
    expect(ask.summary).toBe('rm -rf build');
    // Give the script time to try, many times over.
    await sse.until(() => false, 2500).catch(() => {});
    expect(sse.events.some((e) => e.type === 'approval.resolved' && e.data.approvalId === ask.approvalId)).toBe(false);
    const attempts = (await readFile(out, 'utf8')).trim().split('\n');
    expect(attempts.length).toBeGreaterThan(3);
    expect(attempts.every((l) => l === 'list 403 forbidden_from_tool')).toBe(true);
    // The user answers; the daemon records which process did.
    await api.answer(stack.daemon.state, s.id, ask.approvalId, 'deny');
    await sse.until((e) => e.type === 'run.completed', 15_000);
    const resolved = sse.events.find((e) => e.type === 'approval.resolved' && e.data.approvalId === ask.approvalId);
    expect(resolved?.type === 'approval.resolved' && resolved.data.decision).toBe('deny');
    expect(resolved?.type === 'approval.resolved' && resolved.data.client?.pid).toBeGreaterThan(0);
    await expect(readFile(path.join(ws, 'build'), 'utf8').catch((e: NodeJS.ErrnoException) => e.code)).resolves.toBe('EISDIR');
    sse.close();
  });

  it('in the sandbox: the agent cannot read the token, reach the daemon, or run `hermes config set approvals.mode yolo`', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws, { recursive: true });
    const configBefore = await readFile(path.join(stack.home, 'config.json'), 'utf8');
    const state = stack.daemon.state;
    stack.provider.script([
      {
        type: 'tool_calls',
        calls: [
          {
            name: 'terminal',
            args: {
              command:
                `base64 "$HERMES_HOME/daemon.json"; cat "$HERMES_HOME/config.json"; ` +
                `node ${CLI} --home "$HERMES_HOME" config set approvals.mode deny; ` +
                `node -e "fetch('http://127.0.0.1:${state.port}/v1/sessions',{headers:{authorization:'Bearer ${state.token}'}}).then(r=>console.log('reached',r.status),e=>console.log('unreachable',e.cause&&e.cause.code))"`,
            },
          },
        ],
      },
      { type: 'text', text: 'done' },
    ]);
    const s = await api.createSession(state, { workspace: ws });
    const sse = readSse(state, s.id);
    await api.post(state, s.id, 'go');
    await sse.until((e) => e.type === 'run.completed', 20_000);
    const done = sse.events.find((e) => e.type === 'tool.completed');
    const result = done?.type === 'tool.completed' ? done.data.result : '';
    expect(result).toMatch(/Permission denied/);
    expect(result).toMatch(/unreachable/);
    expect(result).not.toMatch(/reached \d/);
    expect(result).not.toContain(Buffer.from(state.token).toString('base64').slice(0, 12));
    expect(await readFile(path.join(stack.home, 'config.json'), 'utf8')).toBe(configBefore);
    sse.close();
  });
});
