import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT_PROMPT } from '../packages/tui/src/ui/slash/init-prompt.js';
import { runCli } from './support/cli.js';
import { startStack, type Stack } from './support/stack.js';
import { Tui } from './support/tui.js';

type Body = { messages: { role: string; content: unknown }[] };
const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('') : '';
const lastUser = (body: unknown) => textOf((body as Body).messages.filter((m) => m.role === 'user').at(-1)?.content);
const system = (body: unknown) => textOf((body as Body).messages.find((m) => m.role === 'system')?.content);

const AGENTS = '# demo\n\nBuild with `npm run build`; run one test with `npx vitest run path`.\nNever push to main.\n';

/** The turn an /init provider plays: look at the README, write AGENTS.md, say so. */
const initTurns = () => [
  { type: 'tool_calls' as const, calls: [{ name: 'read_file', args: { path: 'README.md' } }] },
  { type: 'tool_calls' as const, calls: [{ name: 'write_file', args: { path: 'AGENTS.md', content: AGENTS } }] },
  { type: 'text' as const, text: 'Wrote AGENTS.md.' },
];

// #13: `/init` and `hermes init` run one turn with the fixed prompt that writes the project's AGENTS.md.
describe('hermes init and /init', { timeout: 120_000 }, () => {
  let stack: Stack;
  let project: string;

  beforeAll(async () => {
    stack = await startStack();
    project = path.join(stack.work, 'demo');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const freshProject = async () => {
    await rm(project, { recursive: true, force: true });
    await mkdir(path.join(project, '.git'), { recursive: true });
    await writeFile(path.join(project, 'README.md'), '# demo\n\nA demo project.\n');
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'demo', scripts: { build: 'tsc -b', test: 'vitest run' } }));
  };

  it('hermes init: the fixed prompt, one turn, an AGENTS.md in the workspace that the next run reads', async () => {
    await freshProject();
    stack.provider.reset();
    stack.provider.script(initTurns());
    const r = await runCli(['init', '-w', project], { home: stack.home, cwd: project, timeoutMs: 60_000 }).done;
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote AGENTS.md.');
    expect(await readFile(path.join(project, 'AGENTS.md'), 'utf8')).toBe(AGENTS);
    const [first] = stack.provider.requests;
    expect(lastUser(first!.body)).toBe(INIT_PROMPT);
    const id = /session (\S+)/.exec(r.stderr)?.[1];
    expect(id).toBeTruthy();

    // The next run of the project reads the file into its system prompt; before, it had none.
    expect(system(first!.body)).not.toContain('Never push to main.');
    stack.provider.script([{ type: 'text', text: 'ok' }]);
    const next = await runCli(['send', '-s', id!, 'what are the rules?'], { home: stack.home, cwd: project }).done;
    expect(next.code).toBe(0);
    const sys = system(stack.provider.requests.at(-1)!.body);
    expect(sys).toContain('Never push to main.');
    expect(sys).toContain('<instructions path="AGENTS.md" scope="project">');
  });

  it('/init in the chat sends the same prompt and the file appears', async () => {
    await freshProject();
    stack.provider.reset();
    stack.provider.script(initTurns());
    const tui = new Tui(stack.home, ['chat', '-w', project]);
    try {
      await tui.waitFor(
        (t) => t.includes('● idle'),
        'the chat',
        30_000,
        () => tui.screen(),
      );
      tui.type('/init');
      await tui.waitFor(
        (t) => t.includes('write an AGENTS.md'),
        'the /init completion',
        15_000,
        () => tui.screen(),
      );
      tui.type('\r');
      await tui.waitFor((t) => t.includes('Wrote AGENTS.md.'), 'the reply', 30_000);
      await tui.waitFor(
        (t) => t.includes('● idle'),
        'idle again',
        30_000,
        () => tui.screen(),
      );
      expect(await readFile(path.join(project, 'AGENTS.md'), 'utf8')).toBe(AGENTS);
      expect(lastUser(stack.provider.requests[0]!.body)).toBe(INIT_PROMPT);
      expect(await tui.quit()).toBe(0);
    } finally {
      tui.proc.kill();
    }
  });
});
