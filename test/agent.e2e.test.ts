import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelListing } from '@hermes/protocol';
import { api, rawRequest, readSse } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** The JSON body the scripted provider recorded (OpenAI shape). */
function bodyOf(req: { body: unknown }): { messages: { role: string; content: string }[] } {
  return req.body as { messages: { role: string; content: string }[] };
}

async function readConfig(s: Stack): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(s.home, 'config.json'), 'utf8')) as Record<string, unknown>;
}

async function runMessage(s: Stack, text: string, opts: { workspace?: string; session?: string } = {}) {
  const id = opts.session ?? (await api.createSession(s.daemon.state, opts.workspace ? { workspace: opts.workspace } : {})).id;
  const after = (await api.get(s.daemon.state, id)).lastSeq;
  const sse = readSse(s.daemon.state, id, { after });
  await api.post(s.daemon.state, id, text);
  const done = await sse.until((e) => e.type === 'run.completed', 20_000);
  sse.close();
  return { id, events: sse.events, done };
}

describe('agent runtime end to end (real daemon, scripted provider)', () => {
  it('streams a text reply, with usage and a title', async () => {
    stack = await startStack();
    stack.provider.script([{ type: 'text', text: 'Hello there, **friend**.' }]);
    const { id, events, done } = await runMessage(stack, 'say hello');
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    const completed = events.find((e) => e.type === 'message.completed');
    expect(completed?.type === 'message.completed' && completed.data.text).toBe('Hello there, **friend**.');
    expect(events.some((e) => e.type === 'usage.updated')).toBe(true);
    const got = await api.get(stack.daemon.state, id);
    expect(got.session.title).toBe('say hello');
    const { messages } = bodyOf(stack.provider.requests[0]!);
    expect(messages[0]!.role).toBe('system');
    expect(messages.at(-1)).toMatchObject({ role: 'user', content: 'say hello' });
  });

  it('batches a full-speed stream into few deltas (first token at once); streamIntervalMs 0 sends every chunk', async () => {
    const tokens = 5000;
    stack = await startStack();
    stack.provider.script([{ type: 'long', tokens }]);
    const batched = await runMessage(stack, 'go');
    const text = (events: typeof batched.events) => events.flatMap((e) => (e.type === 'message.delta' ? [e.data.text] : [])).join('');
    const completed = batched.events.find((e) => e.type === 'message.completed');
    const full = completed?.type === 'message.completed' ? completed.data.text : '';
    expect(full.split(/\s+/).filter(Boolean)).toHaveLength(tokens);
    expect(text(batched.events)).toBe(full);
    const batches = batched.events.filter((e) => e.type === 'message.delta');
    expect(batches.length).toBeLessThan(tokens / 10);
    // The first delta is the first token alone: it was not held back for the window.
    expect(batches[0]?.type === 'message.delta' && batches[0].data.text.trim().split(/\s+/)).toHaveLength(1);

    await writeFile(path.join(stack.home, 'config.json'), JSON.stringify({ ...(await readConfig(stack)), agent: { streamIntervalMs: 0 } }));
    stack.provider.script([{ type: 'long', tokens }]);
    const unbatched = await runMessage(stack, 'again');
    expect(unbatched.events.filter((e) => e.type === 'message.delta')).toHaveLength(tokens);
    expect(text(unbatched.events)).toBe(full);
  });

  it('GET /v1/models offers the config, the sessions and what each usable provider lists', async () => {
    stack = await startStack({
      config: { fallbackModel: 'scripted:backup' },
      env: { OPENAI_API_KEY: 'sk-test-not-real', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    await api.createSession(stack.daemon.state, { model: 'scripted:from-a-session' });
    const r = await rawRequest(stack.daemon.state, 'GET', '/v1/models');
    expect(r.status).toBe(200);
    const body = ModelListing.parse(r.json());
    expect(body.models.slice(0, 3)).toEqual([
      { id: 'scripted:default', source: 'config' },
      { id: 'scripted:backup', source: 'config' },
      { id: 'scripted:from-a-session', source: 'session' },
    ]);
    expect(body.models).toContainEqual({ id: 'scripted:scripted', source: 'provider' });
    // openai has a key but nothing answers: reported. ollama (keyless, not running): quietly skipped.
    expect(body.errors.map((e) => e.provider)).toEqual(['openai']);
  });

  it('uses terminal, write_file, patch and search_files, then answers', async () => {
    stack = await startStack();
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'write_file', args: { path: 'notes/a.txt', content: 'alpha\nbeta\n' } }] },
      { type: 'tool_calls', calls: [{ name: 'patch', args: { path: 'notes/a.txt', old_string: 'beta', new_string: 'gamma' } }] },
      {
        type: 'tool_calls',
        calls: [
          { name: 'search_files', args: { pattern: 'gamma', target: 'content' } },
          { name: 'read_file', args: { path: 'notes/a.txt' } },
        ],
      },
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'cat notes/a.txt; echo done' } }] },
      { type: 'text', text: 'All done.' },
    ]);
    const { events, done } = await runMessage(stack, 'do the things', { workspace: ws });
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(await readFile(path.join(ws, 'notes/a.txt'), 'utf8')).toBe('alpha\ngamma\n');
    const completedTools = events.filter((e) => e.type === 'tool.completed');
    expect(completedTools).toHaveLength(5);
    expect(completedTools.every((e) => e.type === 'tool.completed' && e.data.ok)).toBe(true);
    const patch = completedTools[1]!;
    expect(patch.type === 'tool.completed' && patch.data.diff).toContain('+gamma');
    const output = events
      .filter((e) => e.type === 'tool.output')
      .map((e) => (e.type === 'tool.output' ? e.data.text : ''))
      .join('');
    expect(output).toContain('gamma');
    expect(output).toContain('done');
    // The tool results went back to the model.
    const toolMsgs = bodyOf(stack.provider.requests.at(-1)!).messages.filter((m) => m.role === 'tool');
    expect(toolMsgs).toHaveLength(5);
    expect(toolMsgs.at(-1)!.content).toContain('done');
  });

  it('asks approval for a dangerous command: once, session, always, deny', async () => {
    stack = await startStack();
    const ws = path.join(stack.work, 'ws');
    await mkdir(path.join(ws, 'build'), { recursive: true });
    const rmCall = { type: 'tool_calls' as const, calls: [{ name: 'terminal', args: { command: 'rm -rf build' } }] };
    stack.provider.script([rmCall, { type: 'text', text: 'ok' }]);
    const s = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse = readSse(stack.daemon.state, s.id);
    const answer = async (decision: string) => {
      const before = sse.events.filter((e) => e.type === 'approval.requested').length;
      await sse.until(() => sse.events.filter((e) => e.type === 'approval.requested').length > before);
      const req = sse.events.filter((e) => e.type === 'approval.requested').at(-1)!;
      if (req.type !== 'approval.requested') throw new Error('no approval');
      expect(req.data.summary).toBe('rm -rf build');
      expect(req.data.reasons.join(' ')).toMatch(/recursive|rm/i);
      const r = await rawRequest(stack!.daemon.state, 'POST', `/v1/sessions/${s.id}/approvals/${req.data.approvalId}`, {
        body: JSON.stringify({ decision, by: 'test' }),
      });
      expect(r.status).toBe(200);
    };
    const runs = () => sse.events.filter((e) => e.type === 'run.completed').length;
    const waitRuns = (n: number) => sse.until(() => runs() >= n, 15_000);

    // deny: the model gets the denial, the folder stays.
    await api.post(stack.daemon.state, s.id, 'clean 1');
    await answer('deny');
    await waitRuns(1);
    const deniedTool = sse.events.filter((e) => e.type === 'tool.completed').at(-1)!;
    expect(deniedTool.type === 'tool.completed' && deniedTool.data.result).toMatch(/denied/);
    // once: it runs.
    stack.provider.script([rmCall, { type: 'text', text: 'ok' }]);
    await api.post(stack.daemon.state, s.id, 'clean 2');
    await answer('once');
    await waitRuns(2);
    // session: asked once, then allowed for the rest of the session.
    stack.provider.script([rmCall, { type: 'text', text: 'ok' }, rmCall, { type: 'text', text: 'ok' }]);
    await api.post(stack.daemon.state, s.id, 'clean 3');
    await answer('session');
    await waitRuns(3);
    const asked = sse.events.filter((e) => e.type === 'approval.requested').length;
    await api.post(stack.daemon.state, s.id, 'clean 4');
    await waitRuns(4);
    expect(sse.events.filter((e) => e.type === 'approval.requested').length).toBe(asked);
    // always: saved to the config allowlist.
    const s2 = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse2 = readSse(stack.daemon.state, s2.id);
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'git push --force' } }] },
      { type: 'text', text: 'ok' },
    ]);
    await api.post(stack.daemon.state, s2.id, 'push');
    const req2 = await sse2.until((e) => e.type === 'approval.requested');
    if (req2.type !== 'approval.requested') throw new Error();
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${s2.id}/approvals/${req2.data.approvalId}`, {
      body: JSON.stringify({ decision: 'always' }),
    });
    await sse2.until((e) => e.type === 'run.completed');
    sse.close();
    sse2.close();
    const config = JSON.parse(await readFile(path.join(stack.home, 'config.json'), 'utf8'));
    expect(config.approvals.allowlist).toContain(req2.data.pattern);
  });

  it('refuses hardline commands outright, even in yolo mode', async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'rm -rf /' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const { events } = await runMessage(stack, 'wipe');
    const t = events.find((e) => e.type === 'tool.completed');
    expect(t?.type === 'tool.completed' && t.data.ok).toBe(false);
    expect(t?.type === 'tool.completed' && t.data.result).toMatch(/never run|Refused/);
    expect(events.some((e) => e.type === 'approval.requested')).toBe(false);
  });

  it('cancels mid-stream and mid-tool within a second, keeping partial text', async () => {
    stack = await startStack();
    stack.provider.script([{ type: 'long', tokens: 100000, tokensPerSecond: 200 }]);
    const s = await api.createSession(stack.daemon.state);
    const sse = readSse(stack.daemon.state, s.id);
    await api.post(stack.daemon.state, s.id, 'talk');
    await sse.until((e) => e.type === 'message.delta' && e.seq > 10);
    const t0 = Date.now();
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    const done = await sse.until((e) => e.type === 'run.completed');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('cancelled');
    const completed = sse.events.find((e) => e.type === 'message.completed');
    expect(completed?.type === 'message.completed' && completed.data.partial).toBe(true);
    expect(completed?.type === 'message.completed' && completed.data.text.length).toBeGreaterThan(0);

    stack.provider.script([{ type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'sleep 30; echo never' } }] }]);
    await api.post(stack.daemon.state, s.id, 'sleep');
    await sse.until((e) => e.type === 'tool.started');
    await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    await sse.until((e) => e.type === 'run.completed' && e.seq > done.seq);
    sse.close();
    const got = await api.get(stack.daemon.state, s.id);
    expect(got.session.status).toBe('idle');
    expect(
      got.transcript.items.filter((i: { kind: string }) => i.kind === 'run_end').map((i: { stopReason: string }) => i.stopReason),
    ).toEqual(['cancelled', 'cancelled']);
  });

  it('retries a 429 with retry-after, then succeeds, announcing the retry', async () => {
    stack = await startStack();
    stack.provider.script([
      { type: 'http_error', status: 429, headers: { 'retry-after': '0' } },
      { type: 'text', text: 'finally' },
    ]);
    const { events, done } = await runMessage(stack, 'hi');
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(events.some((e) => e.type === 'notice' && /retrying/.test(e.data.message))).toBe(true);
    expect(stack.provider.requests).toHaveLength(2);
  });

  it('falls back to the fallback model, then fails with a kind and a hint', async () => {
    stack = await startStack({ config: { fallbackModel: 'scripted:backup', retry: { maxRetries: 0 } } });
    stack.provider.script([{ type: 'http_error', status: 503 }]);
    stack.provider.script([{ type: 'text', text: 'from backup' }], { model: 'backup' });
    const first = await runMessage(stack, 'hi');
    expect(first.done.type === 'run.completed' && first.done.data.stopReason).toBe('done');
    expect(stack.provider.requests.at(-1)!.model).toBe('backup');
    stack.provider.script([{ type: 'http_error', status: 401 }]);
    stack.provider.script([{ type: 'http_error', status: 401 }], { model: 'backup' });
    const second = await runMessage(stack, 'hi again', { session: first.id });
    expect(second.done.type === 'run.completed' && second.done.data).toMatchObject({
      stopReason: 'error',
      error: { kind: 'auth', retryable: false },
    });
  });

  it('times out a stalled provider instead of hanging', async () => {
    stack = await startStack({ config: { timeouts: { firstByteMs: 300, idleMs: 300 }, retry: { maxRetries: 0 } } });
    stack.provider.script([{ type: 'stall' }]);
    const { done } = await runMessage(stack, 'hi');
    expect(done.type === 'run.completed' && done.data).toMatchObject({ stopReason: 'error', error: { kind: 'timeout' } });
  });

  it('a stalled provider is retried once under the default retry policy, saying why (#12 item 21)', async () => {
    stack = await startStack({ config: { timeouts: { firstByteMs: 300, idleMs: 300 }, retry: { maxDelayMs: 50 } } });
    stack.provider.script([{ type: 'stall' }, { type: 'stall' }, { type: 'text', text: 'never reached' }]);
    const { events, done } = await runMessage(stack, 'hi');
    expect(done.type === 'run.completed' && done.data).toMatchObject({ stopReason: 'error', error: { kind: 'timeout' } });
    expect(stack.provider.requests).toHaveLength(2);
    const notices = events.flatMap((e) => (e.type === 'notice' ? [e.data] : []));
    expect(notices).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/^scripted sent nothing for 0\.3 s \(first byte timeout\); retrying in 0\.\d s \(attempt 2\/2\)$/),
        // The data clients count the wait down from (the message is right only when written).
        retry: { attempt: 2, maxAttempts: 2, delayMs: expect.any(Number), reason: 'scripted sent nothing for 0.3 s (first byte timeout)' },
      },
    ]);
  });

  it('fails fast with a hint when no model is configured', async () => {
    stack = await startStack({ config: { model: undefined } });
    const { done } = await runMessage(stack, 'hi');
    expect(done.type === 'run.completed' && done.data.error?.kind).toBe('not_configured');
    expect(done.type === 'run.completed' && done.data.error?.hint).toMatch(/hermes config set model/);
  });

  it('runs two sessions at once in different workspaces without cross-talk', async () => {
    stack = await startStack({ tokensPerSecond: 500 });
    const wsA = path.join(stack.work, 'a');
    const wsB = path.join(stack.work, 'b');
    await mkdir(wsA);
    await mkdir(wsB);
    for (const m of ['A', 'B']) {
      stack.provider.script(
        [
          { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: `pwd > where.txt; echo ${m} > who.txt` } }] },
          { type: 'text', text: `done ${m}` },
        ],
        { marker: m },
      );
    }
    const [a, b] = await Promise.all([
      runMessage(stack, '[[script:A]] go', { workspace: wsA }),
      runMessage(stack, '[[script:B]] go', { workspace: wsB }),
    ]);
    expect(a.done.type === 'run.completed' && a.done.data.stopReason).toBe('done');
    expect(b.done.type === 'run.completed' && b.done.data.stopReason).toBe('done');
    expect((await readFile(path.join(wsA, 'where.txt'), 'utf8')).trim()).toBe(wsA);
    expect((await readFile(path.join(wsB, 'who.txt'), 'utf8')).trim()).toBe('B');
  });

  it('never hands provider keys to tools', async () => {
    stack = await startStack({ env: { OPENAI_API_KEY: 'sk-test-secret-123' } });
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: 'env' } }] },
      { type: 'text', text: 'ok' },
    ]);
    const { id } = await runMessage(stack, 'env');
    const log = await readFile(path.join(stack.home, 'sessions', `${id}.jsonl`), 'utf8');
    expect(log).not.toContain('sk-test-secret-123');
    expect(log).toContain('PATH=');
  });

  it('speaks Anthropic Messages streaming: thinking, tools, results back with the signature', async () => {
    stack = await startStack({ protocol: 'anthropic' });
    stack.provider.script([
      { type: 'tool_calls', reasoning: 'Let me look.', calls: [{ name: 'terminal', args: { command: 'echo from-anthropic' } }] },
      { type: 'text', text: 'Saw it.' },
    ]);
    const { events, done } = await runMessage(stack, 'look');
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    expect(events.some((e) => e.type === 'reasoning.delta')).toBe(true);
    const tool = events.find((e) => e.type === 'tool.completed');
    expect(tool?.type === 'tool.completed' && tool.data.result).toContain('from-anthropic');
    const second = stack.provider.requests[1]!.body as { messages: { role: string; content: { type: string; signature?: string }[] }[] };
    const assistant = second.messages.find((m) => m.role === 'assistant')!;
    expect(assistant.content.find((b) => b.type === 'thinking')?.signature).toBeTruthy();
    expect(second.messages.at(-1)!.content[0]!.type).toBe('tool_result');
  });

  it('offers a local Ollama that answers when no model is configured', async () => {
    stack = await startStack({ config: { model: undefined } });
    // The scripted server answers Ollama's /api/tags with a model named "scripted".
    await stack.daemon.kill();
    const env = { OLLAMA_HOST: stack.provider.url };
    const { startTestDaemon } = await import('./support/daemon.js');
    const d = await startTestDaemon({ home: stack.home, agent: 'real', env });
    try {
      const s = await api.createSession(d.state);
      const sse = readSse(d.state, s.id);
      await api.post(d.state, s.id, 'hi');
      const done = await sse.until((e) => e.type === 'run.completed');
      sse.close();
      expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
      expect(sse.events.some((e) => e.type === 'notice' && e.data.message.includes('ollama:scripted'))).toBe(true);
    } finally {
      await d.kill();
    }
  });

  it('cancels a run that has not started streaming yet', async () => {
    stack = await startStack();
    stack.provider.script([{ type: 'text', text: 'late', delayMs: 3000 }]);
    const s = await api.createSession(stack.daemon.state);
    const sse = readSse(stack.daemon.state, s.id);
    const [posted, cancelled] = await Promise.all([
      api.post(stack.daemon.state, s.id, 'hi'),
      (async () => {
        await sse.until((e) => e.type === 'message.user');
        return rawRequest(stack!.daemon.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
      })(),
    ]);
    expect(posted.status).toBe(202);
    expect(cancelled.json().cancelled).toBe(true);
    const done = await sse.until((e) => e.type === 'run.completed');
    sse.close();
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('cancelled');
  });

  it('names the session with a short LLM title after the first reply when agent.llmTitles is on', async () => {
    stack = await startStack({ config: { agent: { llmTitles: true } } });
    stack.provider.script([
      { type: 'text', text: 'Here is how to list files.' },
      { type: 'text', text: 'Listing files in a folder' },
    ]);
    const { id, events } = await runMessage(stack, 'how do I list files?');
    const updates = events.filter((e) => e.type === 'session.updated');
    expect(updates.at(-1)?.type === 'session.updated' && updates.at(-1)!.data).toEqual({ title: 'Listing files in a folder' });
    expect((await api.get(stack.daemon.state, id)).session.title).toBe('Listing files in a folder');
  });
});
