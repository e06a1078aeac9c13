import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes, runCli } from './support/cli.js';
import { startStack, type Stack } from './support/stack.js';

/** The daemon log's lines (stderr of `hermes daemon run`) that are about runs. */
const runLines = (logs: string) => logs.split('\n').filter((l) => / run /.test(l));
const fieldsOf = (line: string) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;

describe('the daemon log records runs (issue 12 item 28)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { retry: { maxRetries: 1, maxDelayMs: 50 } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('one line at the start and one at the end of each run, with stop reason, duration and retries; no secrets', async () => {
    const ok = await hermes(['send', 'hello there'], { home: stack.home });
    expect(ok.code).toBe(0);
    stack.provider.script([
      { type: 'http_error', status: 500 },
      { type: 'http_error', status: 500 },
    ]);
    const failed = await hermes(['send', 'this one fails'], { home: stack.home });
    expect(failed.code).toBe(1);

    const lines = runLines(stack.daemon.logs());
    const started = lines.filter((l) => l.includes(' info run started '));
    const ended = lines.filter((l) => l.includes(' run ended '));
    expect(started).toHaveLength(2);
    expect(ended).toHaveLength(2);
    expect(fieldsOf(started[0]!)).toMatchObject({ model: 'scripted:default' });
    expect(fieldsOf(ended[0]!)).toMatchObject({ stopReason: 'done', retries: 0 });
    expect(typeof fieldsOf(ended[0]!).durationMs).toBe('number');
    expect(ended[1]).toMatch(/ error run ended /);
    expect(fieldsOf(ended[1]!)).toMatchObject({ stopReason: 'error', retries: 1 });
    expect(String(fieldsOf(ended[1]!).error)).toMatch(/^server_error: /);
    const retry = lines.find((l) => l.includes('run retries a model call'));
    expect(retry && fieldsOf(retry)).toMatchObject({ attempt: 2, error: 'server_error', model: 'scripted:default' });
    for (const l of lines) expect(l).not.toContain(stack.daemon.state.token);
  });

  it('a run a restart found open is logged as interrupted', async () => {
    stack.provider.script({ type: 'stall' });
    const run = runCli(['send', 'stall please'], { home: stack.home, timeoutMs: 40_000 });
    const startedCount = () => runLines(stack.daemon.logs()).filter((l) => l.includes('run started')).length;
    for (let i = 0; i < 300 && startedCount() < 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(startedCount()).toBe(3);
    // The client goes first (killed, so it cancels nothing and cannot race to start a daemon of its own).
    run.proc.kill('SIGKILL');
    await run.done;
    await stack.daemon.kill('SIGKILL');
    const d = await stack.restart();
    // The daemon's stderr reaches us asynchronously: wait for the line rather than race it.
    const interrupted = () => runLines(d.logs()).find((l) => l.includes('run ended') && l.includes('"stopReason":"interrupted"'));
    for (let i = 0; i < 100 && !interrupted(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(interrupted()).toBeTruthy();
  }, 60_000);
});
