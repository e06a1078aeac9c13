// Part 7: who gets in (nobody without the token, no browser, no rebound host, no simple-request
// CSRF) on every route; private file modes; no key or token in any log, event or session file;
// the approval detector flags the whole bypass corpus.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DaemonState } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYPASS_CORPUS } from '../../packages/daemon/src/permission/detector/bypass-corpus.test-helpers.js';
import { assessCommand } from '../../packages/daemon/dist/permission/detector/index.js';
import { api, CLI, rawRequest, readSse, removeHome, startTestDaemon, tempHome, waitForState, type TestDaemon } from '../support/daemon.js';
import { startStack } from '../support/stack.js';
import { healthy } from './support/chaos.js';

/** Every route of the daemon, with a real session id where one is needed. */
function routes(sid: string): { method: string; path: string; body?: string }[] {
  return [
    { method: 'GET', path: '/v1/hello' },
    { method: 'GET', path: '/v1/sessions' },
    { method: 'GET', path: '/v1/models' },
    { method: 'GET', path: '/v1/sandbox' },
    { method: 'GET', path: '/v1/mcp' },
    { method: 'POST', path: '/v1/sessions', body: '{"title":"csrf"}' },
    { method: 'GET', path: `/v1/sessions/${sid}` },
    { method: 'PATCH', path: `/v1/sessions/${sid}`, body: '{"title":"pwned"}' },
    { method: 'DELETE', path: `/v1/sessions/${sid}` },
    { method: 'POST', path: `/v1/sessions/${sid}/messages`, body: '{"text":"rm -rf ~"}' },
    { method: 'DELETE', path: `/v1/sessions/${sid}/messages/msg_x` },
    { method: 'POST', path: `/v1/sessions/${sid}/cancel`, body: '{}' },
    { method: 'POST', path: `/v1/sessions/${sid}/approvals/apr_x`, body: '{"decision":"always"}' },
    { method: 'GET', path: `/v1/sessions/${sid}/events` },
    { method: 'GET', path: '/v1/events' },
    { method: 'POST', path: '/v1/shutdown', body: '{}' },
  ];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

describe('security: nobody else gets in', () => {
  let d: TestDaemon;
  let sid: string;
  beforeAll(async () => {
    d = await startTestDaemon();
    sid = (await api.createSession(d.state, { title: 'victim' })).id;
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('refuses unauthenticated, wrong-token, rebound-Host, Origin-bearing and text/plain requests on every route', async () => {
    const port = d.state.port;
    const lastSeq = (await api.get(d.state, sid)).lastSeq as number;
    const attacks: { name: string; status: number[]; opts: (r: { body?: string }) => Parameters<typeof rawRequest>[3] }[] = [
      { name: 'no token', status: [401], opts: (r) => ({ token: null, ...(r.body ? { body: r.body } : {}) }) },
      {
        name: 'wrong token',
        status: [401],
        opts: (r) => ({ token: randomBytes(32).toString('base64url'), ...(r.body ? { body: r.body } : {}) }),
      },
      { name: 'token prefix', status: [401], opts: (r) => ({ token: d.state.token.slice(0, -1), ...(r.body ? { body: r.body } : {}) }) },
      {
        name: 'token in basic auth',
        status: [401],
        opts: (r) => ({
          token: null,
          headers: { authorization: `Basic ${Buffer.from(`x:${d.state.token}`).toString('base64')}` },
          ...(r.body ? { body: r.body } : {}),
        }),
      },
      {
        name: 'lower-case scheme + extra',
        status: [401],
        opts: (r) => ({ token: null, headers: { authorization: `Bearer ${d.state.token} x` }, ...(r.body ? { body: r.body } : {}) }),
      },
      {
        name: 'Host evil.example',
        status: [403],
        opts: (r) => ({ headers: { host: `evil.example:${port}` }, ...(r.body ? { body: r.body } : {}) }),
      },
      {
        name: 'Host 127.0.0.1.nip.io',
        status: [403],
        opts: (r) => ({ headers: { host: `127.0.0.1.nip.io:${port}` }, ...(r.body ? { body: r.body } : {}) }),
      },
      {
        name: 'Host localhost (no port)',
        status: [403],
        opts: (r) => ({ headers: { host: 'localhost' }, ...(r.body ? { body: r.body } : {}) }),
      },
      {
        name: 'Host other port',
        status: [403],
        opts: (r) => ({ headers: { host: `127.0.0.1:${port + 1}` }, ...(r.body ? { body: r.body } : {}) }),
      },
      { name: 'Host [::1]', status: [403], opts: (r) => ({ headers: { host: `[::1]:${port}` }, ...(r.body ? { body: r.body } : {}) }) },
      { name: 'Host 0.0.0.0', status: [403], opts: (r) => ({ headers: { host: `0.0.0.0:${port}` }, ...(r.body ? { body: r.body } : {}) }) },
      {
        name: 'Origin evil',
        status: [403],
        opts: (r) => ({ headers: { origin: 'https://evil.example' }, ...(r.body ? { body: r.body } : {}) }),
      },
      {
        name: 'Origin same host',
        status: [403],
        opts: (r) => ({ headers: { origin: `http://127.0.0.1:${port}` }, ...(r.body ? { body: r.body } : {}) }),
      },
      { name: 'Origin null', status: [403], opts: (r) => ({ headers: { origin: 'null' }, ...(r.body ? { body: r.body } : {}) }) },
      {
        name: 'rebinding: no token + foreign Host + Origin',
        status: [403],
        opts: (r) => ({
          token: null,
          headers: { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` },
          ...(r.body ? { body: r.body } : {}),
        }),
      },
    ];
    const csrfTypes = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'text/plain; charset=utf-8',
    ];
    let refused = 0;
    const table = new Map<string, number>();
    for (const r of routes(sid)) {
      for (const a of attacks) {
        const res = await rawRequest(d.state, r.method, r.path, a.opts(r));
        expect(a.status, `${a.name} on ${r.method} ${r.path}: ${res.status} ${res.body.slice(0, 100)}`).toContain(res.status);
        expect(
          Object.keys(res.headers).filter((h) => h.startsWith('access-control-')),
          'CORS headers',
        ).toEqual([]);
        table.set(a.name, (table.get(a.name) ?? 0) + 1);
        refused++;
      }
      if (r.body !== undefined) {
        // Simple-request CSRF: even with the token, a non-JSON content type never reaches a handler.
        for (const type of csrfTypes) {
          const res = await rawRequest(d.state, r.method, r.path, { body: r.body, headers: { 'content-type': type } });
          expect(res.status, `${type} ${r.method} ${r.path}`).toBe(415);
          table.set('text/plain-like POST (with token)', (table.get('text/plain-like POST (with token)') ?? 0) + 1);
          refused++;
        }
      }
    }
    // None of it had an effect: the daemon runs, the session is untouched, nothing was created.
    expect(await healthy(d.state)).toBe(true);
    const after = await api.get(d.state, sid);
    expect(after.session.title).toBe('victim');
    expect(after.lastSeq).toBe(lastSeq);
    expect(((await rawRequest(d.state, 'GET', '/v1/sessions')).json() as { sessions: unknown[] }).sessions).toHaveLength(1);
    console.log(
      `security/auth: ${routes(sid).length} routes × ${attacks.length} attacks + CSRF content types: ${refused} requests, all refused (${[...table.entries()].map(([k, v]) => `${k} ×${v}`).join('; ')}); no CORS headers; session untouched`,
    );
  }, 60_000);

  it('the approval detector flags every entry of the bypass corpus', () => {
    const rank = { safe: 0, dangerous: 1, hardline: 2 } as const;
    const missed = BYPASS_CORPUS.filter((e) => rank[assessCommand(e.command).level] < rank[e.min]);
    const hard = BYPASS_CORPUS.filter((e) => e.min === 'hardline').length;
    console.log(
      `security/detector: ${BYPASS_CORPUS.length} bypass-corpus commands (${hard} hardline), ${BYPASS_CORPUS.length - missed.length} flagged at or above their level, ${missed.length} missed`,
    );
    expect(missed.map((m) => m.command)).toEqual([]);
  });
});

describe('security: private files, no secrets on disk', () => {
  it('daemon.json, logs/daemon.log and session files are 0600; HERMES_HOME and its dirs 0700', async () => {
    const home = await tempHome('hermes-chaos-modes-');
    try {
      const env = { ...process.env, HERMES_HOME: home };
      // `hermes daemon start` spawns the detached daemon that writes logs/daemon.log.
      await new Promise<void>((resolve, reject) =>
        spawn(process.execPath, [CLI, 'daemon', 'start'], { env, stdio: 'ignore' }).on('exit', (c) =>
          c === 0 ? resolve() : reject(new Error(`daemon start: ${c}`)),
        ),
      );
      const state: DaemonState = await waitForState(home);
      const s = await api.createSession(state);
      const sse = readSse(state, s.id);
      await api.post(state, s.id, 'hello');
      await sse.until((e) => e.type === 'run.completed');
      sse.close();
      const checks: [string, number][] = [
        [home, 0o700],
        [path.join(home, 'daemon.json'), 0o600],
        [path.join(home, 'sessions'), 0o700],
        [path.join(home, 'sessions', `${s.id}.jsonl`), 0o600],
        [path.join(home, 'logs'), 0o700],
        [path.join(home, 'logs', 'daemon.log'), 0o600],
      ];
      const seen: string[] = [];
      for (const [p, want] of checks) {
        expect((await mode(p)).toString(8), p).toBe(want.toString(8));
        seen.push(`${path.relative(home, p) || 'HERMES_HOME'} ${want.toString(8)}`);
      }
      // And nothing else under the home is readable by group or others.
      for (const f of await filesUnder(home)) expect((await mode(f)) & 0o077, f).toBe(0);
      await new Promise<void>((resolve) =>
        spawn(process.execPath, [CLI, 'daemon', 'stop'], { env, stdio: 'ignore' }).on('exit', () => resolve()),
      );
      console.log(`security/modes: ${seen.join(', ')}; every file under HERMES_HOME is owner-only`);
    } finally {
      await removeHome(home);
    }
  }, 60_000);

  it('no API key or daemon token in any log, event or session file (env, printenv, provider errors)', async () => {
    expect(
      await secretsScenario(['env', 'printenv', 'env | grep -i key; echo $OPENAI_API_KEY $SCRIPTED_API_KEY $FILEKEYED_API_KEY'], false),
    ).toEqual([]);
  }, 90_000);

  // Found by this suite: tools could read the secrets straight from their files. The agent now
  // blanks every known secret value (provider keys, .env values, the daemon token) out of tool
  // output before it becomes an event.
  it('no key or token leaks even when the tools read the secret files and /proc environ', async () => {
    const probes = [
      'cat "$HERMES_HOME/.env"',
      'cat ~/.hermes/.env "$HERMES_HOME/daemon.json" 2>&1',
      'grep -r KEY "$HERMES_HOME" 2>&1 | head -50',
      'cat /proc/$PPID/environ | tr "\\0" "\\n"',
      'cat /proc/DAEMON_PID/environ | tr "\\0" "\\n"',
    ];
    expect(await secretsScenario(probes, true)).toEqual([]);
  }, 90_000);
});

/**
 * Runs the real agent with a distinctive key in the environment and another in HERMES_HOME/.env,
 * makes the model probe for them, provokes a provider error echoing the key, then searches every
 * file under HERMES_HOME (but .env and daemon.json, which hold them by design) and the daemon's
 * stderr for both keys and the daemon token. Returns the leaks found.
 */
async function secretsScenario(probes: string[], fileTools: boolean): Promise<string[]> {
  const envKey = `sk-proj-chaos${randomBytes(12).toString('hex')}`;
  // Not shaped like a known key: only the daemon's knowledge of it can keep it out.
  const fileKey = `chaosfilekey_${randomBytes(12).toString('hex')}`;
  const stack = await startStack({ env: { SCRIPTED_API_KEY: envKey, OPENAI_API_KEY: envKey } });
  try {
    const home = stack.home;
    const cfgFile = path.join(home, 'config.json');
    const config = JSON.parse(await readFile(cfgFile, 'utf8')) as {
      providers: Record<string, Record<string, unknown>>;
      approvals?: unknown;
    };
    config.providers.scripted!.apiKeyEnv = 'SCRIPTED_API_KEY';
    config.providers.filekeyed = { type: 'openai', baseUrl: config.providers.scripted!.baseUrl, apiKeyEnv: 'FILEKEYED_API_KEY' };
    config.approvals = { mode: 'yolo' };
    await writeFile(cfgFile, JSON.stringify(config, null, 2));
    await writeFile(path.join(home, '.env'), `FILEKEYED_API_KEY=${fileKey}\nANTHROPIC_API_KEY="${fileKey}"\n`, { mode: 0o600 });
    await stack.daemon.kill();
    const d = await stack.restart();
    const run = async (text: string, model?: string) => {
      const s = await api.createSession(d.state, { workspace: home, ...(model ? { model } : {}) });
      const sse = readSse(d.state, s.id);
      await api.post(d.state, s.id, text);
      const done = await sse.until((e) => e.type === 'run.completed', 20_000);
      sse.close();
      return done;
    };
    probes = probes.map((c) => c.replaceAll('DAEMON_PID', String(d.proc.pid)));
    for (const model of ['scripted:default', 'filekeyed:any']) {
      stack.provider.reset();
      stack.provider.script([
        { type: 'tool_calls', calls: probes.map((command) => ({ name: 'terminal', args: { command } })) },
        ...(fileTools
          ? [
              {
                type: 'tool_calls' as const,
                calls: [
                  { name: 'read_file', args: { path: path.join(home, '.env') } },
                  { name: 'read_file', args: { path: path.join(home, 'daemon.json') } },
                  { name: 'search_files', args: { pattern: 'KEY', path: home, target: 'content' } },
                ],
              },
            ]
          : []),
        { type: 'text', text: 'looked around' },
      ]);
      await run('show me your secrets', model);
      // The key was really used: the provider got it.
      const auth = String(stack.provider.requests[0]?.headers.authorization ?? '');
      expect(auth).toContain(model.startsWith('scripted') ? envKey : fileKey);
      // A provider error whose body echoes the key back.
      stack.provider.reset();
      const echoed = model.startsWith('scripted') ? envKey : fileKey;
      stack.provider.script([
        {
          type: 'http_error',
          status: 401,
          body: { error: { message: `Incorrect API key provided: ${echoed}. Bearer ${echoed}`, type: 'invalid_request_error' } },
        },
      ]);
      const failed = await run('provoke an auth error', model);
      expect(failed.type === 'run.completed' && failed.data.error?.kind).toBe('auth');
    }
    await d.kill();
    const secrets = { 'env key': envKey, '.env key': fileKey, 'daemon token': d.state.token };
    const files = (await filesUnder(home)).filter((f) => path.basename(f) !== '.env' && path.basename(f) !== 'daemon.json');
    const leaks: string[] = [];
    for (const f of files) {
      const text = await readFile(f, 'latin1');
      for (const [name, value] of Object.entries(secrets)) if (text.includes(value)) leaks.push(`${name} in ${path.relative(home, f)}`);
    }
    for (const [name, value] of Object.entries(secrets)) if (d.logs().includes(value)) leaks.push(`${name} in the daemon's stderr`);
    console.log(
      `security/secrets: probes ${probes.map((p) => JSON.stringify(p.slice(0, 40))).join(', ')}${fileTools ? ' + read_file/search_files' : ''} + a provider error echoing the key, for an env key and a .env key; ${files.length} files under HERMES_HOME and the daemon's stderr searched for 2 keys and the token: ${leaks.length ? `${leaks.length} LEAKS: ${leaks.join('; ')}` : 'no leak'}`,
    );
    return leaks;
  } finally {
    await stack.close();
  }
}
