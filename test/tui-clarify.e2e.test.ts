import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';
import { Tui } from './support/tui.js';

type Body = { messages: { role: string; content: unknown }[] };
const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('') : '';
const lastTool = (body: unknown) => textOf((body as Body).messages.filter((m) => m.role === 'tool').at(-1)?.content);

const QUESTIONS = [
  { question: 'Which database should the service use?', header: 'Database', options: [{ label: 'SQLite' }, { label: 'Postgres' }] },
  { question: 'What should the service be called?' },
];

// Issue 16: a question the model asks is answered in the chat (a number picks an option, typed
// text answers, `;` separates answers) or dismissed with Esc, and the model gets the answer.
describe('clarify in hermes chat', { timeout: 120_000 }, () => {
  let stack: Stack;
  let project: string;
  let tui: Tui;

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

  it('shows the questions above the input and sends the typed answers', async () => {
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'clarify', args: { questions: QUESTIONS } }] },
      { type: 'text', text: 'Going with that.' },
    ]);
    tui.type('build the service\r');
    await tui.waitFor(
      (t) => t.includes('Which database should the service use?') && t.includes('2) Postgres') && t.includes('separated by ;'),
      'the question',
      30_000,
      () => tui.screen(),
    );
    tui.type('2\r');
    await tui.waitFor(
      (t) => t.includes('give 2 answers'),
      'the count hint',
      15_000,
      () => tui.screen(),
    );
    tui.type('\x7f'.repeat(3) + '2; billing-api\r');
    await tui.waitFor(
      (t) => t.includes('Going with that.'),
      'the reply',
      30_000,
      () => tui.screen(),
    );
    const result = lastTool(stack.provider.requests.at(-1)!.body);
    expect(result).toContain('Postgres');
    expect(result).toContain('billing-api');
    await tui.waitFor(
      (t) => t.includes('● idle'),
      'idle again',
      30_000,
      () => tui.screen(),
    );
  });

  it('Esc dismisses: the model is told the user did not answer', async () => {
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'clarify', args: { questions: [QUESTIONS[1]] } }] },
      { type: 'text', text: 'I will assume a name.' },
    ]);
    tui.type('name it\r');
    await tui.waitFor(
      (t) => t.includes('What should the service be called?') && t.includes('Esc dismisses'),
      'the question',
      30_000,
      () => tui.screen(),
    );
    tui.type('\x1b');
    await tui.waitFor(
      (t) => t.includes('I will assume a name.'),
      'the reply',
      30_000,
      () => tui.screen(),
    );
    expect(lastTool(stack.provider.requests.at(-1)!.body)).toMatch(/did not answer/i);
    expect(await tui.quit()).toBe(0);
  });
});
