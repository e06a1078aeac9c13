import { spawn } from 'node:child_process';
import { stat, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CLI, rawRequest, readLogFile, readSse, removeHome, startTestDaemon, tempHome, type TestDaemon } from './support/daemon.js';

describe('daemon end to end (scripted agent)', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon();
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('says hello, creates a session, runs a message and streams its events', async () => {
    const hello = (await rawRequest(d.state, 'GET', '/v1/hello')).json();
    expect(hello).toMatchObject({ protocol: 1, pid: d.state.pid });
    const s = await api.createSession(d.state, { title: 'first', workspace: '/tmp' });
    expect(s.id).toMatch(/^\d{8}_\d{6}_[0-9a-f]{6}$/);
    const sse = readSse(d.state, s.id);
    const posted = await api.post(d.state, s.id, 'stream 20');
    expect(posted.status).toBe(202);
    const body = posted.json();
    expect(body).toMatchObject({ queued: false });
    expect(body.runId).toBeTruthy();
    await sse.until((e) => e.type === 'run.completed');
    sse.close();
    expect(sse.events.map((e) => e.seq)).toEqual(sse.events.map((_, i) => i + 1));
    const types = sse.events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['session.created', 'message.user', 'run.started', 'message.started']);
    expect(types.filter((t) => t === 'message.delta')).toHaveLength(20);
    expect(types.at(-1)).toBe('run.completed');
    const got = await api.get(d.state, s.id);
    expect(got.transcript.items.map((i: { kind: string }) => i.kind)).toEqual(['user', 'assistant']);
    expect(got.transcript.items[1].text).toBe(Array.from({ length: 20 }, (_, i) => `t${i} `).join(''));
    expect(got.lastSeq).toBe(sse.events.length);
    const list = (await rawRequest(d.state, 'GET', '/v1/sessions')).json();
    expect(list.sessions.find((x: { id: string }) => x.id === s.id)).toMatchObject({ title: 'first', status: 'idle', workspace: '/tmp' });
  });

  it('resuming from every seq yields exactly the missing suffix', async () => {
    const s = await api.createSession(d.state);
    const all = readSse(d.state, s.id);
    await api.post(d.state, s.id, 'stream 30');
    await all.until((e) => e.type === 'run.completed');
    all.close();
    const full = all.events.map((e) => JSON.stringify(e));
    for (let k = 0; k <= full.length; k++) {
      const useHeader = k % 2 === 0;
      const r = readSse(d.state, s.id, useHeader ? { lastEventId: String(k) } : { after: k });
      // The attached frame comes after the replay is scheduled; wait for the last event or a beat.
      if (k < full.length) await r.until((e) => e.seq === full.length);
      else await new Promise((res) => setTimeout(res, 50));
      r.close();
      expect(r.events.map((e) => JSON.stringify(e))).toEqual(full.slice(k));
    }
  });

  it('two subscribers see identical streams, live', async () => {
    const s = await api.createSession(d.state);
    const a = readSse(d.state, s.id);
    const b = readSse(d.state, s.id);
    await Promise.all([a.response, b.response]);
    await api.post(d.state, s.id, 'stream 200 1');
    await Promise.all([a.until((e) => e.type === 'run.completed'), b.until((e) => e.type === 'run.completed')]);
    a.close();
    b.close();
    expect(a.events.length).toBeGreaterThan(200);
    expect(a.events).toEqual(b.events);
  });

  it('is idempotent per requestId and queues a message sent during a run', async () => {
    const s = await api.createSession(d.state);
    const sse = readSse(d.state, s.id);
    const first = (await api.post(d.state, s.id, 'wait 400', { requestId: 'req-1' })).json();
    const retry = (await api.post(d.state, s.id, 'wait 400', { requestId: 'req-1' })).json();
    expect(retry).toEqual(first);
    const queued = await api.post(d.state, s.id, 'say after', { requestId: 'req-2' });
    expect(queued.status).toBe(202);
    expect(queued.json()).toMatchObject({ queued: true });
    const mid = await api.get(d.state, s.id);
    expect(mid.queued).toEqual([{ messageId: queued.json().messageId, text: 'say after' }]);
    expect(mid.session.status).toBe('running');
    await sse.until((e) => e.type === 'message.completed' && e.data.text === 'after');
    await sse.until((e) => e.type === 'run.completed' && e.seq > 8);
    sse.close();
    const runs = sse.events.filter((e) => e.type === 'run.started');
    expect(runs).toHaveLength(2);
    const t = (await api.get(d.state, s.id)).transcript;
    expect(t.items.filter((i: { kind: string }) => i.kind === 'user').map((i: { text: string }) => i.text)).toEqual([
      'wait 400',
      'say after',
    ]);
  });

  it('withdraws a queued message before it runs; 409 once it started, 404 unknown, 400 for a bad id', async () => {
    const s = await api.createSession(d.state);
    const sse = readSse(d.state, s.id);
    const first = (await api.post(d.state, s.id, 'wait 600')).json();
    const second = (await api.post(d.state, s.id, 'say second')).json();
    const third = (await api.post(d.state, s.id, 'say third')).json();
    expect([second.queued, third.queued]).toEqual([true, true]);
    const path = (id: string, by = '') => `/v1/sessions/${s.id}/messages/${id}${by}`;
    const w = await rawRequest(d.state, 'DELETE', path(second.messageId, '?by=tester'));
    expect(w.status).toBe(200);
    expect(w.json()).toEqual({ messageId: second.messageId, withdrawn: true });
    expect((await api.get(d.state, s.id)).queued.map((q: { text: string }) => q.text)).toEqual(['say third']);
    // Twice: already withdrawn. The running message: already started. Unknown and malformed ids.
    expect((await rawRequest(d.state, 'DELETE', path(second.messageId))).status).toBe(409);
    expect((await rawRequest(d.state, 'DELETE', path(first.messageId))).status).toBe(409);
    expect((await rawRequest(d.state, 'DELETE', path('msg_nosuchmessage'))).status).toBe(404);
    const bad = await rawRequest(d.state, 'DELETE', path('..%2F..%2Fetc'));
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('invalid_id');
    await sse.until((e) => e.type === 'message.completed' && e.data.text === 'third');
    await sse.until((e) => e.type === 'run.completed' && e.seq > 10);
    sse.close();
    const dequeued = sse.events.find((e) => e.type === 'message.dequeued');
    expect(dequeued?.data).toEqual({ messageId: second.messageId, by: 'tester' });
    const t = (await api.get(d.state, s.id)).transcript;
    expect(t.items.filter((i: { kind: string }) => i.kind === 'user').map((i: { text: string }) => i.text)).toEqual([
      'wait 600',
      'say third',
    ]);
    // Restarted, the log still says so.
    await d.kill('SIGKILL');
    d = await startTestDaemon({ home: d.home });
    const after = await api.get(d.state, s.id);
    expect(after.queued).toEqual([]);
    expect((await rawRequest(d.state, 'DELETE', path(second.messageId))).status).toBe(409);
  });

  it('cancels a run, and refuses to delete a session while it runs', async () => {
    const s = await api.createSession(d.state);
    const sse = readSse(d.state, s.id);
    await api.post(d.state, s.id, 'wait 60000');
    await sse.until((e) => e.type === 'message.delta');
    expect((await rawRequest(d.state, 'DELETE', `/v1/sessions/${s.id}`)).status).toBe(409);
    const c = await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    expect(c.json()).toMatchObject({ cancelled: true });
    const done = await sse.until((e) => e.type === 'run.completed');
    sse.close();
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('cancelled');
    expect((await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' })).json()).toEqual({ cancelled: false });
    expect((await rawRequest(d.state, 'DELETE', `/v1/sessions/${s.id}`)).status).toBe(200);
    expect((await rawRequest(d.state, 'GET', `/v1/sessions/${s.id}`)).status).toBe(404);
  });

  it('routes approvals: first answer wins, 409 after, 404 when unknown', async () => {
    const s = await api.createSession(d.state);
    const sse = readSse(d.state, s.id);
    await api.post(d.state, s.id, 'approve');
    const req = await sse.until((e) => e.type === 'approval.requested');
    const approvalId = req.type === 'approval.requested' ? req.data.approvalId : '';
    expect((await api.get(d.state, s.id)).session.status).toBe('awaiting_approval');
    const url = `/v1/sessions/${s.id}/approvals/${approvalId}`;
    const first = await rawRequest(d.state, 'POST', url, { body: JSON.stringify({ decision: 'session', by: 'test-a' }) });
    expect(first.status).toBe(200);
    const second = await rawRequest(d.state, 'POST', url, { body: JSON.stringify({ decision: 'deny', by: 'test-b' }) });
    expect(second.status).toBe(409);
    expect((await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/approvals/apr_nope`, { body: '{"decision":"once"}' })).status).toBe(
      404,
    );
    expect((await rawRequest(d.state, 'POST', url, { body: '{"decision":"maybe"}' })).status).toBe(400);
    const done = await sse.until((e) => e.type === 'message.completed');
    sse.close();
    expect(done.type === 'message.completed' && done.data.text).toBe('decision=session by=test-a');
    expect(sse.events.filter((e) => e.type === 'approval.resolved')).toHaveLength(1);
  });

  it('cuts a slow subscriber, which then resumes without loss', async () => {
    const slow = await startTestDaemon({ env: { HERMES_TEST_BYTE_CAP: '1000000' } });
    try {
      const s = await api.createSession(slow.state);
      const paused = readSse(slow.state, s.id, { pause: true });
      const res = await paused.response;
      const watcher = readSse(slow.state, s.id);
      await api.post(slow.state, s.id, 'stream 60000');
      await watcher.until((e) => e.type === 'run.completed', 20_000);
      watcher.close();
      res.resume();
      await paused.closed;
      const last = paused.events.at(-1)?.seq ?? 0;
      expect(last).toBeLessThan(watcher.events.length);
      const resumed = readSse(slow.state, s.id, { lastEventId: String(last) });
      await resumed.until((e) => e.type === 'run.completed');
      resumed.close();
      expect([...paused.events, ...resumed.events]).toEqual(watcher.events);
    } finally {
      await slow.kill();
      await removeHome(slow.home);
    }
  });
});

describe('session list stream', () => {
  it('announces created, status, updated and deleted sessions', async () => {
    const d = await startTestDaemon();
    try {
      const frames: {
        event: string;
        data: { type: string; session?: { id: string; status: string; title: string }; sessionId?: string };
      }[] = [];
      const http = await import('node:http');
      const req = http.request({
        host: '127.0.0.1',
        port: d.state.port,
        path: '/v1/events',
        headers: { authorization: `Bearer ${d.state.token}`, host: `127.0.0.1:${d.state.port}` },
      });
      await new Promise<void>((resolve) => {
        req.on('response', (res) => {
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buf += c;
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const ev = /^event: (.*)$/m.exec(block)?.[1];
              const data = /^data: (.*)$/m.exec(block)?.[1];
              if (ev && data) frames.push({ event: ev, data: JSON.parse(data) });
            }
          });
          resolve();
        });
        req.end();
      });
      const s = await api.createSession(d.state);
      const sse = readSse(d.state, s.id);
      await api.post(d.state, s.id, 'say hi');
      await sse.until((e) => e.type === 'run.completed');
      sse.close();
      await rawRequest(d.state, 'DELETE', `/v1/sessions/${s.id}`);
      await new Promise((r) => setTimeout(r, 100));
      req.destroy();
      const kinds = frames.map((f) => f.event);
      expect(kinds[0]).toBe('session.created');
      expect(kinds).toContain('session.updated');
      expect(frames.filter((f) => f.event === 'session.status').map((f) => f.data.session!.status)).toEqual(['running', 'idle']);
      expect(frames.at(-1)).toMatchObject({ event: 'session.deleted', data: { sessionId: s.id } });
    } finally {
      await d.kill();
      await removeHome(d.home);
    }
  });
});

describe('daemon security', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon();
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('keeps daemon.json private (0600) in a private home', async () => {
    expect((await stat(path.join(d.home, 'daemon.json'))).mode & 0o777).toBe(0o600);
    expect(d.state.token.length).toBeGreaterThanOrEqual(43);
  });

  it('refuses requests without the token or with a wrong one (401)', async () => {
    for (const route of ['/v1/hello', '/v1/sessions', '/v1/events', '/v1/sessions/20260101_000000_abcdef/events']) {
      expect((await rawRequest(d.state, 'GET', route, { token: null })).status).toBe(401);
      expect((await rawRequest(d.state, 'GET', route, { token: 'x'.repeat(43) })).status).toBe(401);
    }
    const r = await rawRequest(d.state, 'GET', '/v1/hello', { token: null });
    expect(r.json().error.code).toBe('unauthorized');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign Host (DNS rebinding) and any Origin (403)', async () => {
    expect((await rawRequest(d.state, 'GET', '/v1/hello', { headers: { host: `evil.example:${d.state.port}` } })).status).toBe(403);
    expect((await rawRequest(d.state, 'GET', '/v1/hello', { headers: { host: `127.0.0.1:1` } })).status).toBe(403);
    expect((await rawRequest(d.state, 'GET', '/v1/hello', { headers: { host: `localhost:${d.state.port}` } })).status).toBe(200);
    expect((await rawRequest(d.state, 'GET', '/v1/hello', { headers: { origin: 'http://localhost:3000' } })).status).toBe(403);
    expect((await rawRequest(d.state, 'GET', '/v1/hello', { headers: { origin: 'null' } })).status).toBe(403);
  });

  it('answers bad input with 4xx and a message', async () => {
    const bad = await rawRequest(d.state, 'POST', '/v1/sessions', { body: '{"title":' });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_json' });
    expect((await rawRequest(d.state, 'POST', '/v1/sessions', { body: '{"title": 42}' })).status).toBe(400);
    expect((await rawRequest(d.state, 'POST', '/v1/sessions', { body: '{"nope": 1}' })).status).toBe(400);
    expect((await rawRequest(d.state, 'POST', '/v1/sessions', { body: '{}', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await rawRequest(d.state, 'POST', '/v1/sessions', { body: 'x'.repeat(1024 * 1024 + 10) })).status).toBe(413);
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'abc', '20260101_000000_ABCDEF', '20260101_000000_abcdef.jsonl', '%2e%2e']) {
      const r = await rawRequest(d.state, 'GET', `/v1/sessions/${id}`);
      expect(r.status, id).toBe(400);
      expect(r.json().error.code).toBe('invalid_id');
    }
    expect((await rawRequest(d.state, 'GET', '/v1/sessions/20260101_000000_abcdef')).status).toBe(404);
    expect((await rawRequest(d.state, 'GET', '/v1/nothing')).status).toBe(404);
    expect((await rawRequest(d.state, 'PUT', '/v1/sessions')).status).toBe(405);
    const s = await api.createSession(d.state);
    expect((await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/messages`, { body: '{"text":""}' })).status).toBe(400);
    expect((await rawRequest(d.state, 'GET', `/v1/sessions/${s.id}/events?after=-1`)).status).toBe(400);
    expect((await rawRequest(d.state, 'PATCH', `/v1/sessions/${s.id}`, { body: '{}' })).status).toBe(400);
    expect((await rawRequest(d.state, 'PATCH', `/v1/sessions/${s.id}`, { body: '{"title":"renamed"}' })).json().session.title).toBe(
      'renamed',
    );
    // Still healthy.
    expect((await rawRequest(d.state, 'GET', '/v1/hello')).status).toBe(200);
  });
});

describe('daemon durability and lifecycle', () => {
  it('after kill -9 mid-run: every log loads, the message is there, the run is interrupted', async () => {
    const home = await tempHome();
    try {
      const d1 = await startTestDaemon({ home });
      const s = await api.createSession(d1.state);
      const sse = readSse(d1.state, s.id);
      const posted = await api.post(d1.state, s.id, 'stream 100000 1');
      expect(posted.status).toBe(202);
      await sse.until((e) => e.type === 'message.delta' && e.seq > 20);
      await d1.kill('SIGKILL');
      sse.close();
      // A crash can leave a torn last line.
      await appendFile(path.join(home, 'sessions', `${s.id}.jsonl`), '{"v":1,"seq":99999,"sess');
      const d2 = await startTestDaemon({ home });
      try {
        const got = await api.get(d2.state, s.id);
        expect(got.transcript.items[0]).toMatchObject({ kind: 'user', text: 'stream 100000 1', messageId: posted.json().messageId });
        expect(got.transcript.items.at(-1)).toMatchObject({ kind: 'run_end', stopReason: 'interrupted' });
        expect(got.session.status).toBe('idle');
        const log = await readLogFile(home, s.id);
        expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
        expect(log.at(-1)).toMatchObject({ type: 'run.completed', data: { stopReason: 'interrupted' } });
        // New runs work.
        const sse2 = readSse(d2.state, s.id, { after: got.lastSeq });
        await api.post(d2.state, s.id, 'say again');
        const done = await sse2.until((e) => e.type === 'run.completed');
        sse2.close();
        expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
      } finally {
        await d2.kill();
      }
    } finally {
      await removeHome(home);
    }
  });

  it('on SIGTERM closes runs as interrupted and removes daemon.json', async () => {
    const home = await tempHome();
    try {
      const d = await startTestDaemon({ home });
      const s = await api.createSession(d.state);
      await api.post(d.state, s.id, 'wait 60000');
      await d.kill('SIGTERM');
      await expect(stat(path.join(home, 'daemon.json'))).rejects.toThrow();
      const log = await readLogFile(home, s.id);
      expect(log.at(-1)).toMatchObject({ type: 'run.completed', data: { stopReason: 'interrupted' } });
    } finally {
      await removeHome(home);
    }
  });

  it('two clients racing to auto-start get one daemon', async () => {
    const home = await tempHome();
    try {
      const run = () =>
        new Promise<string>((resolve, reject) => {
          const p = spawn(process.execPath, [CLI, 'daemon', 'start'], { env: { ...process.env, HERMES_HOME: home } });
          let out = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
        });
      const outs = await Promise.all([run(), run(), run()]);
      const pids = outs.map((o) => /pid (\d+)/.exec(o)?.[1]);
      expect(new Set(pids).size).toBe(1);
      const status = await new Promise<string>((resolve) => {
        const p = spawn(process.execPath, [CLI, 'daemon', 'status'], { env: { ...process.env, HERMES_HOME: home } });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', () => resolve(out));
      });
      expect(status).toContain(`pid       ${pids[0]}`);
      await new Promise<void>((resolve) =>
        spawn(process.execPath, [CLI, 'daemon', 'stop'], { env: { ...process.env, HERMES_HOME: home } }).on('exit', () => resolve()),
      );
    } finally {
      await removeHome(home);
    }
  });

  it('restarts an idle daemon that speaks another protocol version', async () => {
    const home = await tempHome();
    try {
      const old = await startTestDaemon({ home, env: { HERMES_TEST_PROTOCOL: '0' } });
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [CLI, 'daemon', 'start'], { env: { ...process.env, HERMES_HOME: home } });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(out.stderr).toContain('protocol 0 → 1');
      expect(old.proc.exitCode ?? old.proc.signalCode).not.toBeNull();
      const hello = /pid (\d+)/.exec(out.stdout)?.[1];
      expect(Number(hello)).not.toBe(old.state.pid);
      await new Promise<void>((resolve) =>
        spawn(process.execPath, [CLI, 'daemon', 'stop'], { env: { ...process.env, HERMES_HOME: home } }).on('exit', () => resolve()),
      );
    } finally {
      await removeHome(home);
    }
  });

  it('ignores a stale daemon.json whose process is gone', async () => {
    const home = await tempHome();
    try {
      await writeFile(
        path.join(home, 'daemon.json'),
        JSON.stringify({ pid: 999999, port: 1, token: 'x', version: '0', protocol: 1, startedAt: 'x' }),
      );
      const d = await startTestDaemon({ home });
      expect(d.state.pid).toBe(d.proc.pid);
      await d.kill();
    } finally {
      await removeHome(home);
    }
  });
});
