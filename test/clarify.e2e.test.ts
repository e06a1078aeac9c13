import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GetSessionResponse, type HermesEvent } from '@hermes/protocol';
import { api, rawRequest, readLogFile, readSse, type SseReader } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';
import { hermes, runCli } from './support/cli.js';

/** The `clarify` tool end to end: real daemon, scripted provider, answers over HTTP (issue 16). */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Msg = { role: string; content: string; tool_calls?: { function: { name: string } }[] };
const messagesOf = (req: { body: unknown }) => (req.body as { messages: Msg[] }).messages;

const QUESTIONS = [
  {
    question: 'Which database should the service use?',
    header: 'Database',
    options: [
      { label: 'SQLite (Recommended)', description: 'one file, no server' },
      { label: 'Postgres', description: 'a server' },
    ],
  },
  { question: 'Which features first?', options: [{ label: 'Auth' }, { label: 'Billing' }, { label: 'Search' }], multiSelect: true },
];

const clarifyCall = (questions: unknown = QUESTIONS) => ({
  type: 'tool_calls' as const,
  calls: [{ name: 'clarify', args: { questions } }],
});

async function ask(
  s: Stack,
  text: string,
  questions: unknown = QUESTIONS,
): Promise<{ id: string; sse: SseReader; clarifyId: string; requested: HermesEvent }> {
  s.provider.script([clarifyCall(questions), { type: 'text', text: 'Thanks, going ahead.' }]);
  const { id } = await api.createSession(s.daemon.state, { workspace: s.work });
  const sse = readSse(s.daemon.state, id);
  await api.post(s.daemon.state, id, text);
  const requested = await sse.until((e) => e.type === 'clarify.requested', 20_000);
  if (requested.type !== 'clarify.requested') throw new Error('no question');
  return { id, sse, clarifyId: requested.data.clarifyId, requested };
}

const answer = (s: Stack, id: string, clarifyId: string, body: unknown) =>
  rawRequest(s.daemon.state, 'POST', `/v1/sessions/${id}/clarifications/${clarifyId}`, { body: JSON.stringify(body) });

/** The tool result the model got for the clarify call (the last request's tool message). */
const toolResultSent = (s: Stack) =>
  messagesOf(s.provider.requests.at(-1)!)
    .filter((m) => m.role === 'tool')
    .at(-1)!.content;

describe('clarify: the model asks the user', () => {
  it('is offered to the model; asked, the session awaits input; answered by one client, a second answer is 409; the model gets the answers', async () => {
    stack = await startStack();
    const { id, sse, clarifyId, requested } = await ask(stack, 'build the service');
    const tools = (stack.provider.requests[0]!.body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
    expect(tools).toContain('clarify');
    expect(requested.type === 'clarify.requested' && requested.data.questions).toEqual(QUESTIONS);

    const got = GetSessionResponse.parse(await api.get(stack.daemon.state, id));
    expect(got.session.status).toBe('awaiting_input');
    expect(got.pendingClarifications?.map((p) => p.clarifyId)).toEqual([clarifyId]);

    // A wrong shape is a 400 and leaves the question pending.
    for (const bad of [
      { answers: [['SQLite (Recommended)']] },
      { answers: [['SQLite', 'Postgres'], ['Auth']] },
      { answers: [[''], ['Auth']] },
      { answers: 'x' },
      { nope: 1 },
    ]) {
      const r = await answer(stack, id, clarifyId, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await answer(stack, id, 'clr_nope', { answers: null })).status).toBe(404);

    const first = await answer(stack, id, clarifyId, { answers: [['SQLite (Recommended)'], ['Auth', 'a typed one']], by: 'client-a' });
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ clarifyId, reason: 'answered' });
    const second = await answer(stack, id, clarifyId, { answers: [['Postgres'], ['Billing']], by: 'client-b' });
    expect(second.status).toBe(409);

    await sse.until((e) => e.type === 'run.completed', 20_000);
    const resolved = sse.events.filter((e) => e.type === 'clarify.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.type === 'clarify.resolved' && resolved[0]!.data).toMatchObject({
      clarifyId,
      answers: [['SQLite (Recommended)'], ['Auth', 'a typed one']],
      by: 'client-a',
      reason: 'answered',
    });
    const result = toolResultSent(stack);
    expect(result).toContain('"Which database should the service use?" = "SQLite (Recommended)"');
    expect(result).toContain('"Which features first?" = "Auth", "a typed one"');

    const after = GetSessionResponse.parse(await api.get(stack.daemon.state, id));
    expect(after.session.status).toBe('idle');
    expect(after.pendingClarifications).toEqual([]);
    const item = after.transcript.items.find((i) => i.kind === 'clarify');
    expect(item).toMatchObject({ kind: 'clarify', reason: 'answered', by: 'client-a', questions: QUESTIONS });
    // Once the run is over, a late answer is still a conflict (the log knows), not a 404.
    expect((await answer(stack, id, clarifyId, { answers: null })).status).toBe(409);
    sse.close();
  }, 60_000);

  it('dismissed (answers: null): the model is told the user did not answer and to state its assumption', async () => {
    stack = await startStack();
    const { id, sse, clarifyId } = await ask(stack, 'go', [{ question: 'What should the project be called?' }]);
    const r = await answer(stack, id, clarifyId, { answers: null, by: 'tui' });
    expect(r.status).toBe(200);
    expect(r.json().reason).toBe('dismissed');
    await sse.until((e) => e.type === 'run.completed', 20_000);
    const resolved = sse.events.find((e) => e.type === 'clarify.resolved');
    expect(resolved?.type === 'clarify.resolved' && resolved.data).toMatchObject({ answers: null, reason: 'dismissed', by: 'tui' });
    const result = toolResultSent(stack);
    expect(result).toMatch(/did not answer/);
    expect(result).toMatch(/state the assumption/);
    sse.close();
  }, 60_000);

  it('times out after agent.clarifyTimeout seconds', async () => {
    stack = await startStack({ config: { agent: { clarifyTimeout: 1 } } });
    const { id, sse } = await ask(stack, 'go');
    const resolved = await sse.until((e) => e.type === 'clarify.resolved', 20_000);
    expect(resolved.type === 'clarify.resolved' && resolved.data).toMatchObject({ answers: null, reason: 'timeout', by: 'timeout' });
    await sse.until((e) => e.type === 'run.completed', 20_000);
    expect(toolResultSent(stack)).toMatch(/did not answer \(no answer came within 1 s\)/);
    expect((await api.get(stack.daemon.state, id)).session.status).toBe('idle');
    sse.close();
  }, 60_000);

  it('a cancel resolves the question as cancelled and ends the run', async () => {
    stack = await startStack();
    const { id, sse, clarifyId } = await ask(stack, 'go');
    const c = await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${id}/cancel`, { body: '{}' });
    expect(c.json().cancelled).toBe(true);
    const done = await sse.until((e) => e.type === 'run.completed', 20_000);
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('cancelled');
    const resolved = sse.events.filter((e) => e.type === 'clarify.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.type === 'clarify.resolved' && resolved[0]!.data).toMatchObject({
      clarifyId,
      answers: null,
      reason: 'cancelled',
      by: 'cancel',
    });
    expect((await answer(stack, id, clarifyId, { answers: null })).status).toBe(409);
    sse.close();
  }, 60_000);

  it('attach restores a pending question; a crash leaves it folded as cancelled on restart', async () => {
    stack = await startStack();
    const { id, sse, clarifyId } = await ask(stack, 'go');
    sse.close();
    // A client attaching later replays the question and sees it pending.
    const late = readSse(stack.daemon.state, id);
    const replayed = await late.until((e) => e.type === 'clarify.requested');
    expect(replayed.type === 'clarify.requested' && replayed.data.clarifyId).toBe(clarifyId);
    const attached = late.frames.find((f) => f.event === 'attached');
    expect(attached && JSON.parse(attached.data).pendingClarifyIds).toEqual([clarifyId]);
    late.close();

    // kill -9 with the question pending: the restart closes the run and cancels the question.
    await stack.daemon.kill('SIGKILL');
    await stack.restart();
    const got = GetSessionResponse.parse(await api.get(stack.daemon.state, id));
    expect(got.session.status).toBe('idle');
    expect(got.pendingClarifications).toEqual([]);
    const log = await readLogFile(stack.home, id);
    const resolved = log.filter((e) => e.type === 'clarify.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.data).toMatchObject({ clarifyId, answers: null, reason: 'cancelled', by: 'restart' });
    expect(log.at(-1)!.type).toBe('run.completed');
    expect((await answer(stack, id, clarifyId, { answers: null })).status).toBe(409);
  }, 60_000);

  it('a steer while a question is pending dismisses it with the text; the run goes on with the steer (no deadlock)', async () => {
    stack = await startStack();
    const { id, sse, clarifyId } = await ask(stack, 'build it');
    const r = await api.post(stack.daemon.state, id, 'use MySQL, never mind the rest', { delivery: 'steer' });
    expect(r.status).toBe(202);
    const done = await sse.until((e) => e.type === 'run.completed', 20_000);
    expect(done.type === 'run.completed' && done.data.stopReason).toBe('done');
    const resolved = sse.events.filter((e) => e.type === 'clarify.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.type === 'clarify.resolved' && resolved[0]!.data).toMatchObject({
      clarifyId,
      answers: null,
      reason: 'dismissed',
      by: 'steer',
      note: 'use MySQL, never mind the rest',
    });
    // One run; the model read the dismissal with the user's words, then the steer as a user message.
    expect(sse.events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    const last = messagesOf(stack.provider.requests.at(-1)!);
    const tool = last.findIndex((m) => m.role === 'tool');
    expect(last[tool]!.content).toContain('said instead: "use MySQL, never mind the rest"');
    expect(last.slice(tool + 1).map((m) => [m.role, m.content])).toEqual([['user', 'use MySQL, never mind the rest']]);
    expect((await answer(stack, id, clarifyId, { answers: null })).status).toBe(409);
    sse.close();
  }, 60_000);

  it('a bad shape from the model is a clear tool error (no question asked); agent.clarify: false removes the tool', async () => {
    stack = await startStack();
    stack.provider.script([clarifyCall([{ question: 'Pick one', options: [{ label: 'only one' }] }]), { type: 'text', text: 'ok' }]);
    const { id } = await api.createSession(stack.daemon.state, { workspace: stack.work });
    const sse = readSse(stack.daemon.state, id);
    await api.post(stack.daemon.state, id, 'go');
    await sse.until((e) => e.type === 'run.completed', 20_000);
    expect(sse.events.some((e) => e.type === 'clarify.requested')).toBe(false);
    const done = sse.events.find((e) => e.type === 'tool.completed');
    expect(done?.type === 'tool.completed' && done.data.ok).toBe(false);
    expect(done?.type === 'tool.completed' && done.data.result).toMatch(/Invalid arguments for clarify[\s\S]*2 to 4 options/);
    sse.close();

    const cfg = path.join(stack.home, 'config.json');
    await writeFile(cfg, JSON.stringify({ ...JSON.parse(await readFile(cfg, 'utf8')), agent: { clarify: false } }));
    stack.provider.script([clarifyCall(), { type: 'text', text: 'ok' }]);
    const sse2 = readSse(stack.daemon.state, id);
    await api.post(stack.daemon.state, id, 'again');
    await sse2.until((e) => e.type === 'run.completed' && e.seq > (sse.events.at(-1)?.seq ?? 0), 20_000);
    const tools = (stack.provider.requests.at(-2)!.body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
    expect(tools).not.toContain('clarify');
    expect(sse2.events.some((e) => e.type === 'clarify.requested')).toBe(false);
    const unknown = sse2.events.filter((e) => e.type === 'tool.completed').at(-1);
    expect(unknown?.type === 'tool.completed' && unknown.data.result).toMatch(/Unknown tool "clarify"/);
    sse2.close();
  }, 60_000);
});

describe('clarify in hermes send', () => {
  it('without a terminal the question is dismissed at once and the run finishes (exit 0); --clarify wait lets another client answer', async () => {
    stack = await startStack();
    stack.provider.script([clarifyCall(), { type: 'text', text: 'Assuming SQLite.' }]);
    const r = await hermes(['send', '-w', stack.work, 'build the service'], { home: stack.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Assuming SQLite.');
    expect(r.stderr).toContain('Which database should the service use?');
    expect(r.stderr).toContain('1) SQLite (Recommended) — one file, no server');
    expect(r.stderr).toContain('question dismissed: no terminal to ask on');
    expect(toolResultSent(stack)).toMatch(/did not answer/);

    stack.provider.script([clarifyCall([{ question: 'Project name?' }]), { type: 'text', text: 'Named it.' }]);
    const run = runCli(['send', '--clarify', 'wait', '-w', stack.work, 'name it'], { home: stack.home });
    await run.waitFor('waiting for another client to answer', 'stderr', 30_000);
    const id = (await rawRequest(stack.daemon.state, 'GET', '/v1/sessions'))
      .json()
      .sessions.find((s: { status: string }) => s.status === 'awaiting_input').id;
    const pending = (await api.get(stack.daemon.state, id)).pendingClarifications[0];
    expect((await answer(stack, id, pending.clarifyId, { answers: [['hermes-svc']], by: 'other' })).status).toBe(200);
    const done = await run.done;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('Project name? → hermes-svc');
    expect(toolResultSent(stack)).toContain('"Project name?" = "hermes-svc"');
  }, 90_000);
});
