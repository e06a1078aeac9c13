// Part 5: commands that hang, fork, flood or ignore SIGTERM, run by the real agent (yolo).
// Bounded time, capped output in the result and the log, no process of the command's group left.
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HermesEvent } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, rawRequest, readSse } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';
import { groupSurvivors, processes, rssKb, sleep, waitFor } from './support/chaos.js';

interface Case {
  name: string;
  command: string;
  timeout?: number;
  /** Cancel the run this long after the tool started. */
  cancelAfterMs?: number;
  /** Upper bound from tool start to run end. */
  boundMs: number;
}

describe('tool faults: bounded time, capped output, no orphans', () => {
  let stack: Stack;
  const lines: string[] = [];
  beforeAll(async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } } });
  });
  afterAll(async () => {
    console.log(lines.join('\n'));
    await stack.close();
  });

  async function runTool(c: Case): Promise<{ events: HermesEvent[]; ws: string; id: string; ms: number; pgid: number | null }> {
    const ws = path.join(stack.work, `ws-${c.name.replace(/\W+/g, '-')}`);
    await mkdir(ws, { recursive: true });
    stack.provider.reset();
    stack.provider.script([
      { type: 'tool_calls', calls: [{ name: 'terminal', args: { command: c.command, ...(c.timeout ? { timeout: c.timeout } : {}) } }] },
      { type: 'text', text: 'done' },
    ]);
    const s = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse = readSse(stack.daemon.state, s.id);
    await api.post(stack.daemon.state, s.id, c.name);
    await sse.until((e) => e.type === 'tool.started', 15_000);
    const t0 = Date.now();
    // The command records its process group ($$ of the detached shell) before misbehaving.
    let pgid: number | null = null;
    await waitFor(
      async () => {
        pgid = Number(await readFile(path.join(ws, 'pg'), 'utf8').catch(() => '')) || null;
        return pgid !== null || sse.events.some((e) => e.type === 'tool.completed');
      },
      5000,
      'the command to write its process group',
    );
    if (c.cancelAfterMs !== undefined) {
      await sleep(c.cancelAfterMs);
      await rawRequest(stack.daemon.state, 'POST', `/v1/sessions/${s.id}/cancel`, { body: '{}' });
    }
    await sse.until((e) => e.type === 'run.completed', c.boundMs + 10_000);
    const ms = Date.now() - t0;
    sse.close();
    return { events: sse.events, ws, id: s.id, ms, pgid };
  }

  const cases: Case[] = [
    { name: 'hang, then cancel', command: 'echo $$ > pg; sleep 1000', cancelAfterMs: 300, boundMs: 3000 },
    { name: 'hang past its timeout', command: 'echo $$ > pg; sleep 1000', timeout: 1, boundMs: 4000 },
    {
      name: 'fork children, then cancel',
      command: 'echo $$ > pg; for i in 1 2 3; do (sleep 1000 &); done; sleep 1000 & sleep 1000 & wait',
      cancelAfterMs: 300,
      boundMs: 3000,
    },
    { name: 'ignore SIGTERM, timeout', command: "trap '' TERM; echo $$ > pg; sleep 100", timeout: 1, boundMs: 4000 },
    {
      name: 'ignore SIGTERM in children, cancel',
      command: "echo $$ > pg; (trap '' TERM; sleep 100) & (trap '' TERM INT HUP; while :; do sleep 1; done) & wait",
      cancelAfterMs: 300,
      boundMs: 3000,
    },
    { name: 'print 30 MB without newlines', command: "echo $$ > pg; head -c 30000000 /dev/zero | tr '\\0' 'a'", boundMs: 30_000 },
    { name: 'print 3 million lines', command: 'echo $$ > pg; seq 1 3000000', boundMs: 30_000 },
    { name: 'print 2 MB of binary', command: 'echo $$ > pg; head -c 2000000 /dev/urandom', boundMs: 30_000 },
    { name: 'busy loop, then cancel', command: 'echo $$ > pg; while :; do :; done', cancelAfterMs: 300, boundMs: 3000 },
  ];

  it('every misbehaving command ends in bounded time, capped, with its whole group gone', async () => {
    const rssBefore = await rssKb(stack.daemon.proc.pid!);
    let maxRss = rssBefore;
    for (const c of cases) {
      const { events, id, ms, pgid } = await runTool(c);
      maxRss = Math.max(maxRss, await rssKb(stack.daemon.proc.pid!));
      const done = events.find((e) => e.type === 'tool.completed');
      expect(done, c.name).toBeDefined();
      if (done?.type !== 'tool.completed') throw new Error('unreachable');
      const streamed = events
        .filter((e) => e.type === 'tool.output')
        .reduce((n, e) => n + (e.type === 'tool.output' ? e.data.text.length : 0), 0);
      const logBytes = (await stat(path.join(stack.home, 'sessions', `${id}.jsonl`))).size;
      const survivors = pgid ? await groupSurvivors(pgid, 2000) : [];
      lines.push(
        `tool-faults: ${c.name.padEnd(36)} ended in ${String(ms).padStart(5)} ms (bound ${c.boundMs}); result ${done.data.result.length} chars, streamed ${streamed} chars, log ${(logBytes / 1024).toFixed(0)} KiB; group ${pgid}: ${survivors.length} survivors`,
      );
      expect(ms, c.name).toBeLessThan(c.boundMs);
      expect(pgid, `${c.name}: no process group recorded`).not.toBeNull();
      expect(survivors, `${c.name}: processes left in group ${pgid}`).toEqual([]);
      // The model sees at most head + tail (50k chars + notes); the log at most ~2 MiB of live output.
      expect(done.data.result.length, c.name).toBeLessThan(60_000);
      expect(streamed, c.name).toBeLessThan(2.2 * 1024 * 1024);
      expect(logBytes, c.name).toBeLessThan(6 * 1024 * 1024);
      // Binary output is made printable: no NUL or other C0 controls besides \t \n.
      expect(/[\0-\x08\x0b-\x1f]/.test(done.data.result), `${c.name}: control bytes in the result`).toBe(false);
    }
    const rssAfter = await rssKb(stack.daemon.proc.pid!);
    lines.push(
      `tool-faults: daemon RSS ${(rssBefore / 1024).toFixed(0)} MiB before, peak ${(maxRss / 1024).toFixed(0)} MiB, ${(rssAfter / 1024).toFixed(0)} MiB after (limit: peak under +256 MiB)`,
    );
    expect(maxRss - rssBefore).toBeLessThan(256 * 1024);
    // Nothing any case started is left anywhere (the commands all mention `pg`).
    const left = (await processes()).filter((p) => /echo \$\$ > pg/.test(p.args));
    expect(left).toEqual([]);
  }, 180_000);

  it('reports (does not assert) what happens to a background child of a command that exits normally', async () => {
    const { pgid } = await runTool({
      name: 'background child, normal exit',
      command: 'echo $$ > pg; sleep 1000 & echo started',
      boundMs: 5000,
    });
    const survivors = pgid ? await groupSurvivors(pgid, 500) : [];
    lines.push(
      `tool-faults: background child of a command that exited normally: ${survivors.length ? `still running (${survivors.map((s) => s.args).join(', ')}), by design (\`server &\`)` : 'gone'}`,
    );
    for (const s of survivors) process.kill(s.pid, 'SIGKILL');
  }, 30_000);
});
