import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { terminalTool } from './terminal.js';
import type { ToolContext } from './types.js';

/** A temp workspace and a context that records streamed output. Test-only helper. */
export async function tempContext(
  over: Partial<ToolContext> = {},
): Promise<{ ctx: ToolContext; dir: string; output: string[]; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-tool-'));
  const output: string[] = [];
  const ctx: ToolContext = {
    workspace: dir,
    env: { ...process.env },
    signal: new AbortController().signal,
    onOutput: (t) => output.push(t),
    ...over,
  };
  return { ctx, dir, output, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});
async function setup(over: Parameters<typeof tempContext>[0] = {}) {
  const t = await tempContext(over);
  cleanups.push(t.cleanup);
  return t;
}

/** A pid is gone when kill(0) fails, or when it is a zombie nobody has reaped yet (containers without init). */
async function gone(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe('terminal', () => {
  it('runs in the workspace with merged output and the exit code', async () => {
    const { ctx, dir } = await setup();
    const r = await terminalTool.execute({ command: 'pwd; echo out; echo err >&2; exit 3' }, ctx);
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(3);
    expect(r.result).toContain(dir);
    expect(r.result).toMatch(/out\nerr\n/);
    expect(r.result).toContain('[exit code: 3]');
  });

  it('uses workdir and env, with stdin closed', async () => {
    const { ctx, dir } = await setup();
    ctx.env = { ...ctx.env, HERMES_TEST_VAR: 'hello' };
    await terminalTool.execute({ command: 'mkdir sub' }, ctx);
    const r = await terminalTool.execute({ command: 'echo $HERMES_TEST_VAR; pwd; cat; echo done' }, { ...ctx, env: ctx.env });
    expect(r.result).toContain('hello');
    const r2 = await terminalTool.execute({ command: 'pwd', workdir: 'sub' }, ctx);
    expect(r2.result).toContain(path.join(dir, 'sub'));
    const r3 = await terminalTool.execute({ command: 'pwd', workdir: 'nope' }, ctx);
    expect(r3).toMatchObject({ ok: false });
    expect(r3.result).toMatch(/not found/);
    expect(r.result).toContain('done');
  });

  it('streams output in coalesced pieces', async () => {
    const { ctx, output } = await setup();
    const r = await terminalTool.execute({ command: 'for i in $(seq 1 2000); do echo line $i; done; sleep 0.2; echo late' }, ctx);
    expect(r.ok).toBe(true);
    const streamed = output.join('');
    expect(streamed).toContain('line 1\n');
    expect(streamed).toContain('line 2000\n');
    expect(streamed).toContain('late');
    expect(output.length).toBeLessThan(50);
  });

  it('caps megabytes of output, keeping head and tail', async () => {
    const { ctx, output } = await setup();
    const r = await terminalTool.execute({ command: 'echo FIRST; head -c 8000000 /dev/zero | tr "\\0" "x"; echo; echo LAST' }, ctx);
    expect(r.ok).toBe(true);
    expect(r.result.length).toBeLessThan(60_000);
    expect(r.result).toMatch(/^FIRST/);
    expect(r.result).toMatch(/LAST\n\[exit code: 0\]$/);
    expect(r.result).toMatch(/\[… \d+ bytes cut …\]/);
    expect(output.join('').length).toBeLessThan(2.2 * 1024 * 1024);
  });

  it('makes binary output printable', async () => {
    const { ctx } = await setup();
    const r = await terminalTool.execute({ command: "printf 'a\\000b\\377c\\033[31mred\\033[0m\\r\\n'" }, ctx);
    expect(r.result).toContain('a\uFFFDb\uFFFDcred\n');
    expect(r.result).not.toMatch(/[\x00\x1b]/);
  });

  it('times out and says so', async () => {
    const { ctx } = await setup();
    const started = Date.now();
    const r = await terminalTool.execute({ command: 'echo start; sleep 30', timeout: 0.3 }, ctx);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    expect(r.result).toContain('start');
    expect(r.result).toMatch(/timed out after 0.3 s/);
  });

  it('cancel kills the whole process group within a second, even when SIGTERM is ignored', async () => {
    const controller = new AbortController();
    const { ctx, output } = await setup({ signal: controller.signal });
    const p = terminalTool.execute({ command: "trap '' TERM; sleep 30 & echo CHILD:$!; wait; sleep 30" }, ctx);
    let childPid = 0;
    for (let i = 0; i < 100 && !childPid; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const m = /CHILD:(\d+)/.exec(output.join(''));
      if (m) childPid = Number(m[1]);
    }
    expect(childPid).toBeGreaterThan(0);
    const t0 = Date.now();
    controller.abort();
    const r = await p;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.ok).toBe(false);
    expect(r.result).toContain('[cancelled');
    await new Promise((res) => setTimeout(res, 50));
    expect(await gone(childPid)).toBe(true);
  });

  it('does not hang on a background child holding the output open', async () => {
    const { ctx } = await setup();
    const t0 = Date.now();
    const r = await terminalTool.execute({ command: 'sleep 5 & echo started' }, ctx);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r).toMatchObject({ ok: true, exitCode: 0 });
  });

  it('returns at once when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx } = await setup({ signal: controller.signal });
    const r = await terminalTool.execute({ command: 'echo hi' }, ctx);
    expect(r.ok).toBe(false);
    expect(r.result).toMatch(/Cancelled/);
  });

  it('summarizes the first line of the command', () => {
    expect(terminalTool.summarize({ command: 'ls -la\necho x' })).toBe('ls -la …');
  });
});
