import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HermesEvent } from '@hermes/protocol';
import pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes, runCli } from './support/cli.js';
import { api, CLI, rawRequest, readLogFile, removeHome, startTestDaemon, tempHome, type TestDaemon } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

const sessionIdOf = (stderr: string) => /session (\d{8}_\d{6}_[0-9a-f]{6})/.exec(stderr)?.[1];

describe('hermes send (scripted agent)', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon();
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });
  const send = (args: string[], stdin?: string | 'open' | 'ignore', env?: Record<string, string>) =>
    hermes(['send', ...args], { home: d.home, ...(stdin !== undefined ? { stdin } : {}), ...(env ? { env } : {}) });

  it('streams the reply to stdout, prints the session id on stderr, exits 0', async () => {
    const r = await send(['stream', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('t0 t1 t2 t3 t4 \n');
    const id = sessionIdOf(r.stderr);
    expect(id).toBeTruthy();
    const got = await api.get(d.state, id!);
    expect(got.session.workspace).toBe(process.cwd());
  });

  it('sends the arguments followed by piped stdin in a delimited block', async () => {
    const r = await send(['say', 'review:'], 'line one\nline two\n');
    expect(r.code).toBe(0);
    const got = await api.get(d.state, sessionIdOf(r.stderr)!);
    expect(got.transcript.items[0].text).toBe('say review:\n\n[stdin]\n```\nline one\nline two\n```');
  });

  it('sends stdin alone as the message when there are no arguments', async () => {
    const r = await send([], 'say from-a-pipe\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('from-a-pipe\n');
  });

  it('attaches --file with its name', async () => {
    const file = path.join(d.home, 'notes.md');
    await writeFile(file, 'some notes');
    const r = await send(['say', 'x', '--file', file, '--no-stdin'], 'ignored');
    expect(r.code).toBe(0);
    const got = await api.get(d.state, sessionIdOf(r.stderr)!);
    expect(got.transcript.items[0].text).toBe(`say x\n\n[file: ${file}]\n\`\`\`\nsome notes\n\`\`\``);
  });

  it('waits for a slow producer on a pipe to end, and says that it waits (issue 12 item 5)', async () => {
    const run = runCli(['send', 'say', 'why:'], { home: d.home, stdin: 'open' });
    await run.waitFor('waiting for the piped input to end', 'stderr', 15_000);
    run.proc.stdin!.write('output line 1\n');
    setTimeout(() => run.proc.stdin!.end('output line 2\n'), 300);
    const r = await run.done;
    expect(r.code).toBe(0);
    const got = await api.get(d.state, sessionIdOf(r.stderr)!);
    expect(got.transcript.items[0].text).toBe('say why:\n\n[stdin]\n```\noutput line 1\noutput line 2\n```');
  });

  it('--no-stdin does not wait for an open pipe', async () => {
    const r = await send(['--no-stdin', 'say', 'not-waiting'], 'open');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('not-waiting\n');
    expect(r.stderr).not.toContain('waiting for the piped input');
  });

  it('--json prints only protocol events of this run, each valid, from message.user to run.completed', async () => {
    const r = await send(['--json', 'stream', '3']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const events = lines.map((l) => HermesEvent.parse(JSON.parse(l)));
    expect(events[0]!.type).toBe('message.user');
    expect(events.at(-1)!.type).toBe('run.completed');
    expect(events.filter((e) => e.type === 'message.delta')).toHaveLength(3);
    // Everything but session-level events (the new title) belongs to the one run.
    const runIds = new Set(
      events
        .slice(1)
        .filter((e) => e.type !== 'session.updated')
        .map((e) => e.runId),
    );
    expect(runIds.size).toBe(1);
    expect(events.some((e) => e.type === 'session.updated' && e.data.title)).toBe(true);
  });

  it('-q prints only the final text', async () => {
    const r = await send(['-q', 'stream', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('t0 t1 t2\n');
  });

  it('exit 2 on usage errors: no text, a bad model, too much input', async () => {
    const none = await send(['--no-stdin']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to send/);
    const model = await send(['--model', 'gpt4', 'say', 'x']);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/provider:model/);
    const big = await send(['say'], 'x'.repeat(600 * 1024));
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/too large/);
  });

  it('exit 3 when an approval is denied (--approve deny), and the run still ends', async () => {
    const r = await send(['--approve', 'deny', 'approve']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('decision=deny by=send\n');
    expect(r.stderr).toMatch(/denied by send/);
  });

  it('--approve yes answers once', async () => {
    const r = await send(['--approve', 'yes', 'approve']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('decision=once by=send\n');
  });

  it('--approval-timeout denies an approval nobody answers (exit 3)', async () => {
    const r = await send(['--approval-timeout', '1', 'approve']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no answer within 1 s/);
  });

  it('without a terminal, waits for another client to answer the approval', async () => {
    const run = runCli(['send', 'approve'], { home: d.home });
    await run.waitFor('waiting for another client');
    const id = sessionIdOf(run.stderr().replace('hermes attach ', 'session '))!;
    const got = await api.get(d.state, id);
    const approvalId = got.pendingApprovals[0].approvalId as string;
    const answered = await rawRequest(d.state, 'POST', `/v1/sessions/${id}/approvals/${approvalId}`, {
      body: JSON.stringify({ decision: 'once', by: 'tester' }),
    });
    expect(answered.status).toBe(200);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('decision=once by=tester\n');
    expect(r.stderr).toMatch(/approved \(once\) by tester/);
  });

  /** `send` on a pseudo-terminal: the approval prompt opens /dev/tty. */
  function onPty(args: string[]) {
    const p = pty.spawn(process.execPath, [CLI, 'send', ...args], {
      env: { ...process.env, HERMES_HOME: d.home, NO_COLOR: '1' } as Record<string, string>,
      cols: 120,
      rows: 30,
    });
    let out = '';
    const seen: { text: string; resolve: () => void }[] = [];
    p.onData((chunk) => {
      out += chunk;
      for (const w of seen.splice(0)) (out.includes(w.text) ? w.resolve : () => seen.push(w))();
    });
    const exit = new Promise<number>((resolve) => p.onExit(({ exitCode }) => resolve(exitCode)));
    const waitFor = (text: string) => new Promise<void>((resolve) => (out.includes(text) ? resolve() : seen.push({ text, resolve })));
    return { p, exit, waitFor, out: () => out };
  }

  it('asks on the terminal: a wrong key asks again, [s]ession answers', async () => {
    const t = onPty(['approve']);
    await t.waitFor('allow? [o]nce [s]ession [a]lways [d]eny');
    t.p.write('x\r');
    await t.waitFor('answer one of');
    t.p.write('s\r');
    expect(await t.exit).toBe(0);
    expect(t.out()).toContain('approved (session) by send');
    expect(t.out()).toContain('decision=session by=send');
  });

  it('closes the terminal prompt when another client answers first', async () => {
    const t = onPty(['approve']);
    await t.waitFor('allow?');
    const list = (await rawRequest(d.state, 'GET', '/v1/sessions')).json() as { sessions: { id: string; status: string }[] };
    const id = list.sessions.find((x) => x.status === 'awaiting_approval')!.id;
    const got = await api.get(d.state, id);
    const approvalId = got.pendingApprovals[0].approvalId as string;
    await rawRequest(d.state, 'POST', `/v1/sessions/${id}/approvals/${approvalId}`, {
      body: JSON.stringify({ decision: 'deny', by: 'tui@elsewhere' }),
    });
    expect(await t.exit).toBe(3);
    expect(t.out()).toContain('denied by tui@elsewhere');
  });

  it('SIGINT cancels the daemon run and exits 130', async () => {
    const run = runCli(['send', 'wait', '60000'], { home: d.home });
    await run.waitFor('waiting', 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelling/);
    const id = sessionIdOf(r.stderr)!;
    const log = await readLogFile(d.home, id);
    expect(log.at(-1)).toMatchObject({ type: 'run.completed', data: { stopReason: 'cancelled' } });
  });

  it('waits behind a run in progress, saying it is queued', async () => {
    const s = await api.createSession(d.state);
    await api.post(d.state, s.id, 'wait 60000');
    const run = runCli(['send', '-s', s.id, 'say', 'after'], { home: d.home });
    await run.waitFor('queued');
    await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('after\n');
  });

  it('Ctrl-C while queued withdraws the message (it never runs) and does not cancel the other run', async () => {
    const s = await api.createSession(d.state);
    await api.post(d.state, s.id, 'wait 60000');
    const run = runCli(['send', '-s', s.id, 'say', 'later'], { home: d.home });
    await run.waitFor('queued');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/withdrew the queued message; it will not run/);
    const got = await api.get(d.state, s.id);
    expect(got.activeRunId).toBeTruthy();
    expect(got.queued).toEqual([]);
    await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    for (let i = 0; i < 200 && (await api.get(d.state, s.id)).session.status !== 'idle'; i++)
      await new Promise((res) => setTimeout(res, 25));
    const log = await readLogFile(d.home, s.id);
    expect(log.some((e) => e.type === 'message.dequeued' && (e.data as { by?: string }).by === 'send')).toBe(true);
    expect(log.filter((e) => e.type === 'run.started')).toHaveLength(1);
  });

  it('a queued message withdrawn by another client ends send with a clear line', async () => {
    const s = await api.createSession(d.state);
    await api.post(d.state, s.id, 'wait 60000');
    const run = runCli(['send', '-s', s.id, 'say', 'later'], { home: d.home });
    await run.waitFor('queued');
    const [q] = (await api.get(d.state, s.id)).queued as { messageId: string }[];
    expect((await rawRequest(d.state, 'DELETE', `/v1/sessions/${s.id}/messages/${q!.messageId}?by=tui`)).status).toBe(200);
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/the queued message was withdrawn \(by tui\)/);
    await rawRequest(d.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    for (let i = 0; i < 200 && (await api.get(d.state, s.id)).session.status !== 'idle'; i++)
      await new Promise((res) => setTimeout(res, 25));
  });

  it('--detach prints the session id at once; the run shows in sessions list', async () => {
    const r = await send(['--detach', 'say', 'detached']);
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^\d{8}_\d{6}_[0-9a-f]{6}$/);
    let item: { id: string; status: string; messageCount?: number } | undefined;
    for (let i = 0; i < 100; i++) {
      const list = await hermes(['sessions', 'list', '--json'], { home: d.home });
      item = (JSON.parse(list.stdout) as { sessions: (typeof item & object)[] }).sessions.find((s) => s.id === id);
      if (item?.status === 'idle' && item.messageCount === 2) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(item).toMatchObject({ id, status: 'idle', messageCount: 2 });
    const table = await hermes(['sessions', 'list'], { home: d.home });
    expect(table.stdout).toContain(id);
  });

  it('-c continues the most recent session', async () => {
    const first = await send(['say', 'one']);
    const again = await send(['-c', 'say', 'two']);
    expect(again.code).toBe(0);
    expect(sessionIdOf(again.stderr)).toBe(sessionIdOf(first.stderr));
  });

  it('-c prefers the most recent session of this folder, and says when it continues another (issue 12 item 25)', async () => {
    const here = await mkdtemp(path.join(d.home, 'here-'));
    const there = await mkdtemp(path.join(d.home, 'there-'));
    const mine = await hermes(['send', 'say', 'mine'], { home: d.home, cwd: here });
    await hermes(['send', 'say', 'elsewhere'], { home: d.home, cwd: there });
    const again = await hermes(['send', '-c', 'say', 'two'], { home: d.home, cwd: here });
    expect(again.code).toBe(0);
    expect(sessionIdOf(again.stderr)).toBe(sessionIdOf(mine.stderr));
    expect(again.stderr).not.toContain('continuing the most recent one');
    const empty = await mkdtemp(path.join(d.home, 'empty-'));
    const other = await hermes(['send', '-c', 'say', 'three'], { home: d.home, cwd: empty });
    expect(other.code).toBe(0);
    expect(other.stderr).toContain(`no session in ${empty} yet; continuing the most recent one`);
    expect(other.stderr).toContain(here);
  });

  it('exit 4 when the daemon cannot be started, quickly', async () => {
    const file = path.join(d.home, 'not-a-dir');
    await writeFile(file, '');
    const r = await hermes(['send', 'hi'], { home: file });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot start the hermes daemon/);
  });
});

describe('hermes send (real agent, scripted provider)', () => {
  let stack: Stack;
  let home: string;
  beforeAll(async () => {
    stack = await startStack();
    home = stack.home;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('runs a tool call with --approve yes and reports it on stderr', async () => {
    const ws = await tempHome('hermes-ws-');
    const r = await hermes(['send', '--approve', 'yes', '-w', ws, '/tool terminal {"command":"echo hi-from-tool"}'], { home });
    expect(r.stderr).toMatch(/⚙ terminal: echo hi-from-tool/);
    expect(r.stderr).toMatch(/✓ terminal \((\d+ms|\d+\.\ds|\d+m\d\ds)\)/);
    expect(r.stdout).toContain('hi-from-tool');
    expect(r.code).toBe(0);
    await removeHome(ws);
  });

  it('exits 1 with the error kind when the provider fails', async () => {
    const r = await hermes(['send', '/error 401'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hermes: auth: /m);
  });

  it('exits 1 when no model is configured', async () => {
    const bare = await startTestDaemon({ agent: 'real', env: { OLLAMA_HOST: 'http://127.0.0.1:9' } });
    try {
      const r = await hermes(['send', 'hello'], { home: bare.home });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^hermes: not_configured: /m);
    } finally {
      await bare.kill();
      await removeHome(bare.home);
    }
  });
});
