// Part 6: 20 sessions running at once, 10 subscribers each, real agent: no cross-talk (each
// run's tools stay in its own workspace) and every subscriber's stream equals its log.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, readSse, type SseReader } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';
import { gapFree, logEvents, scaled } from './support/chaos.js';

describe('load: 20 concurrent sessions × 10 subscribers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { approvals: { mode: 'yolo' } }, tokensPerSecond: 300 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('no cross-talk, every stream equals its log', async () => {
    const sessions = scaled(20);
    const subscribers = 10;
    const ids: { id: string; ws: string; marker: string }[] = [];
    for (let i = 0; i < sessions; i++) {
      const marker = `S${i}_${Math.random().toString(36).slice(2, 8)}`;
      const ws = path.join(stack.work, 'ws', marker);
      await mkdir(ws, { recursive: true });
      // Each session is scripted by its own marker: two tool rounds writing its marker into its
      // own workspace (by relative path: the tool's cwd must be that workspace), then a reply.
      stack.provider.script(
        [
          {
            type: 'tool_calls',
            calls: [{ name: 'terminal', args: { command: `echo ${marker} >> marker.txt; pwd > where.txt; sleep 0.2` } }],
          },
          {
            type: 'tool_calls',
            calls: [
              { name: 'write_file', args: { path: 'written.txt', content: marker } },
              { name: 'terminal', args: { command: `echo ${marker} >> marker.txt` } },
            ],
          },
          { type: 'long', tokens: 200 },
        ],
        { marker },
      );
      ids.push({ id: (await api.createSession(stack.daemon.state, { workspace: ws })).id, ws, marker });
    }
    const readers: SseReader[][] = ids.map(({ id }) => Array.from({ length: subscribers }, () => readSse(stack.daemon.state, id)));
    await Promise.all(readers.flat().map((r) => r.response));
    await Promise.all(ids.map(({ id, marker }) => api.post(stack.daemon.state, id, `[[script:${marker}]] go`)));
    await Promise.all(readers.flat().map((r) => r.until((e) => e.type === 'run.completed', 60_000)));
    for (const r of readers.flat()) r.close();

    let events = 0;
    for (const [i, { id, ws, marker }] of ids.entries()) {
      const log = await logEvents(stack.home, id);
      expect(gapFree(log.map((e) => e.seq))).toBe(true);
      const done = log.at(-1);
      expect(done?.type === 'run.completed' && done.data.stopReason, `session ${marker}`).toBe('done');
      for (const r of readers[i]!) expect(r.events).toEqual(log);
      events += log.length * subscribers;
      // Its own workspace holds its own marker, twice, and nothing else.
      expect((await readFile(path.join(ws, 'marker.txt'), 'utf8')).trim().split('\n')).toEqual([marker, marker]);
      expect((await readFile(path.join(ws, 'where.txt'), 'utf8')).trim()).toBe(ws);
      expect(await readFile(path.join(ws, 'written.txt'), 'utf8')).toBe(marker);
      expect((await readdir(ws)).sort()).toEqual(['marker.txt', 'where.txt', 'written.txt']);
      // No other session's marker appears anywhere in this session's log.
      const text = JSON.stringify(log);
      for (const other of ids)
        if (other.marker !== marker) expect(text.includes(other.marker), `${other.marker} in ${marker}'s log`).toBe(false);
    }
    console.log(
      `load: ${sessions} sessions ran at once with ${subscribers} subscribers each (${sessions * subscribers} SSE streams, ${events} events delivered); every stream equals its log; each workspace holds only its own marker; 0 cross-talk`,
    );
  }, 120_000);
});
