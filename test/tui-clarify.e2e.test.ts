import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, readLogFile } from './support/daemon.js';
import { startStack, type Stack } from './support/stack.js';
import { Tui } from './support/tui.js';

type Body = { messages: { role: string; content: unknown }[] };
const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('') : '';
const lastTool = (body: unknown) => textOf((body as Body).messages.filter((m) => m.role === 'tool').at(-1)?.content);

const DB = {
  question: 'Which database should the service use?',
  header: 'Database',
  options: [
    { label: 'SQLite', description: 'one file, nothing to run' },
    { label: 'Postgres', description: 'a server' },
  ],
};
const FEATURES = {
  question: 'Which features should it have?',
  header: 'Features',
  multiSelect: true,
  options: [{ label: 'Auth' }, { label: 'Billing' }, { label: 'Search' }],
};
const NAME = { question: 'What should the service be called?' };

const KEY = { up: '\x1b[A', down: '\x1b[B', esc: '\x1b', enter: '\r', space: ' ' };

// Issue 16: a question the model asks is answered in a picker (arrows, numbers, Space for
// several, "Other…" for typed text, a review for several questions), from `hermes chat` or a
// second terminal (`hermes attach`); the daemon logs the answer and the model gets it.
describe('clarify in hermes chat and attach', { timeout: 180_000 }, () => {
  let stack: Stack;
  let project: string;
  let tui: Tui;

  /** One key, then wait for the screen to show what it should (keys sent apart, as a person types). */
  const press = async (t: Tui, key: string, shows: string, what = shows) => {
    t.type(key);
    await t.waitFor(
      (s) => s.includes(shows),
      what,
      15_000,
      () => t.screen(),
    );
  };
  const sessionId = async () =>
    ((await rawRequest(stack.daemon.state, 'GET', '/v1/sessions')).json() as { sessions: { id: string }[] }).sessions[0]!.id;
  const resolved = async () =>
    (await readLogFile(stack.home, await sessionId())).filter((e) => e.type === 'clarify.resolved').map((e) => e.data);

  beforeAll(async () => {
    stack = await startStack();
    project = path.join(stack.work, 'p');
    await mkdir(project, { recursive: true });
    tui = new Tui(stack.home, ['chat', '-w', project]);
    await tui.waitFor(
      (t) => t.includes('● idle'),
      'the chat',
      30_000,
      () => tui.screen(),
    );
  });
  afterAll(async () => {
    tui?.proc.kill();
    await stack?.close();
  });

  it('three questions: arrows pick, Space toggles, text answers the free one; the review submits', async () => {
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'clarify', args: { questions: [DB, FEATURES, NAME] } }] },
      { type: 'text', text: 'Going with that.' },
    ]);
    tui.type('build the service\r');
    await tui.waitFor(
      (t) => t.includes('The agent asks 3 questions') && t.includes('› 1. SQLite') && t.includes('one file, nothing to run'),
      'the picker',
      30_000,
      () => tui.screen(),
    );
    await press(tui, KEY.down, '› 2. Postgres');
    await press(tui, KEY.enter, 'Which features should it have?');
    await press(tui, KEY.space, '› [x] 1. Auth');
    await press(tui, KEY.down, '› [ ] 2. Billing');
    await press(tui, KEY.down, '› [ ] 3. Search');
    await press(tui, KEY.space, '› [x] 3. Search');
    await press(tui, KEY.enter, 'What should the service be called?');
    await press(tui, 'billing-api', 'billing-api');
    await press(tui, KEY.enter, 'Review your answers');
    expect(tui.screen()).toContain('Features → Auth, Search');
    await press(tui, KEY.enter, 'Going with that.');
    expect((await resolved()).at(-1)).toMatchObject({
      answers: [['Postgres'], ['Auth', 'Search'], ['billing-api']],
      by: 'tui (chat)',
      reason: 'answered',
    });
    const result = lastTool(stack.provider.requests.at(-1)!.body);
    expect(result).toContain('Postgres');
    expect(result).toContain('"Which features should it have?" = "Auth", "Search"');
    expect(result).toContain('billing-api');
    await tui.waitFor(
      (t) => t.includes('● idle') && t.includes('Type a message'),
      'idle again',
      30_000,
      () => tui.screen(),
    );
  });

  it('Other… takes a typed answer; Esc from it goes back, Esc again dismisses', async () => {
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'clarify', args: { questions: [DB] } }] },
      { type: 'text', text: 'DuckDB it is.' },
      { type: 'tool_calls', calls: [{ name: 'clarify', args: { questions: [DB] } }] },
      { type: 'text', text: 'I will assume SQLite.' },
    ]);
    tui.type('pick a database\r');
    await tui.waitFor(
      (t) => t.includes('3. Other…'),
      'the picker',
      30_000,
      () => tui.screen(),
    );
    await press(tui, '3', 'Esc back to the options', 'the Other… field');
    await press(tui, 'DuckDB', '› 3. DuckDB');
    await press(tui, KEY.enter, 'DuckDB it is.');
    expect((await resolved()).at(-1)).toMatchObject({ answers: [['DuckDB']], reason: 'answered' });
    expect(lastTool(stack.provider.requests.at(-1)!.body)).toContain('DuckDB');

    tui.type('again\r');
    await tui.waitFor(
      (t) => t.includes('3. Other…'),
      'the second picker',
      30_000,
      () => tui.screen(),
    );
    await press(tui, 'maybe', '› 3. maybe');
    await press(tui, KEY.esc, '↑↓ or 1-3 choose', 'back to the options');
    expect(tui.screen()).toContain('3. maybe');
    await press(tui, KEY.esc, 'I will assume SQLite.');
    expect((await resolved()).at(-1)).toMatchObject({ answers: null, reason: 'dismissed' });
    expect(lastTool(stack.provider.requests.at(-1)!.body)).toMatch(/did not answer/i);
  });

  it("a second terminal (attach, 50x15) answers; the first one's picker goes away", async () => {
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'clarify', args: { questions: [DB, NAME] } }] },
      { type: 'text', text: 'Answered from the other terminal.' },
    ]);
    tui.type('ask me\r');
    await tui.waitFor(
      (t) => t.includes('The agent asks 2 questions'),
      'the picker in the first terminal',
      30_000,
      () => tui.screen(),
    );
    const second = new Tui(stack.home, ['attach'], {}, { cols: 50, rows: 15 });
    try {
      await second.waitFor(
        (t) => t.includes('› 1. SQLite') && t.includes('Tab next'),
        'the picker in the second terminal',
        30_000,
        () => second.screen(),
      );
      await press(second, '2', 'What should the service', 'the second question');
      await press(second, 'api', '› api');
      await press(second, KEY.enter, 'Review your answers');
      await press(second, KEY.enter, 'Answered from the', 'the reply in the second terminal');
      await tui.waitFor(
        (t) => t.includes('Answered from the other terminal.') && !t.includes('The agent asks'),
        'the first terminal: picker gone, reply shown',
        30_000,
        () => tui.screen(),
      );
      expect((await resolved()).at(-1)).toMatchObject({ answers: [['Postgres'], ['api']], by: 'tui (attach)' });
      await second.waitFor(
        (t) => t.includes('Type a message') || t.includes('Enter queues'),
        'the prompt back in the second terminal',
        15_000,
        () => second.screen(),
      );
      expect(await second.quit()).toBe(0);
    } finally {
      second.proc.kill();
    }
    await tui.waitFor(
      (t) => t.includes('● idle'),
      'idle',
      30_000,
      () => tui.screen(),
    );
    expect(await tui.quit()).toBe(0);
  });
});
