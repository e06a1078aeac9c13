// Part 4: a provider that resets, stalls, sends garbage or the wrong content type, or storms
// with 429/5xx. Each run must end with a clear error kind, and the daemon must stay healthy.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DaemonState } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedTurn } from '../provider-server/index.mjs';
import { api, readSse } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';
import { CONFIG_DEFAULTS } from '@hermes/protocol';
import { healthy, scaled } from './support/chaos.js';
import { startRawProvider, type RawBehaviour } from './support/raw-provider.js';

interface Outcome {
  stopReason: string;
  kind?: string;
  message?: string;
  ms: number;
}

async function runOnce(state: DaemonState, text: string, model?: string): Promise<Outcome> {
  const s = await api.createSession(state, model ? { model } : {});
  const sse = readSse(state, s.id);
  const t0 = Date.now();
  await api.post(state, s.id, text);
  const done = await sse.until((e) => e.type === 'run.completed', 30_000);
  sse.close();
  if (done.type !== 'run.completed') throw new Error('unreachable');
  return {
    stopReason: done.data.stopReason,
    ms: Date.now() - t0,
    ...(done.data.error ? { kind: done.data.error.kind, message: done.data.error.message } : {}),
  };
}

describe('provider faults: clear errors, healthy daemon', () => {
  let stack: Stack;
  let raw: Awaited<ReturnType<typeof startRawProvider>>;
  const lines: string[] = [];

  beforeAll(async () => {
    raw = await startRawProvider();
    stack = await startStack({ config: { timeouts: { firstByteMs: 400, idleMs: 400 }, retry: { maxRetries: 3, maxDelayMs: 20 } } });
    // Add the raw provider next to the stack's `scripted` one, then restart to load it.
    const file = path.join(stack.home, 'config.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as { providers: Record<string, unknown> };
    config.providers.raw = { type: 'openai', baseUrl: raw.baseUrl };
    await writeFile(file, JSON.stringify(config, null, 2));
    await stack.daemon.kill();
    await stack.restart();
  });
  afterAll(async () => {
    console.log(lines.join('\n'));
    await stack.close();
    await raw.close();
  });

  const expectHealthy = async (): Promise<void> => {
    expect(await healthy(stack.daemon.state)).toBe(true);
  };

  it('scripted faults: cuts, stalls, in-band errors, 429/5xx storms', async () => {
    const cases: { name: string; turns: ScriptedTurn[]; stop: string; kinds: string[]; requests?: number }[] = [
      {
        name: 'cut mid-stream (after text), every attempt',
        turns: Array.from({ length: 4 }, () => ({ type: 'cut' as const, afterText: 'partial answer' })),
        stop: 'error',
        kinds: ['truncated_stream'],
      },
      {
        name: 'cut before any text, every attempt',
        turns: Array.from({ length: 4 }, () => ({ type: 'cut' as const })),
        stop: 'error',
        kinds: ['truncated_stream', 'network'],
      },
      { name: 'cut once, then a good reply', turns: [{ type: 'cut' }, { type: 'text', text: 'recovered' }], stop: 'done', kinds: [] },
      {
        name: 'stall before the first byte, every attempt',
        turns: Array.from({ length: 4 }, () => ({ type: 'stall' as const })),
        stop: 'error',
        kinds: ['timeout'],
        // A timeout is retried only retry.maxTimeoutRetries times (each attempt costs the whole timeout).
        requests: 1 + CONFIG_DEFAULTS.retry.maxTimeoutRetries,
      },
      {
        name: 'stall mid-stream',
        turns: Array.from({ length: 4 }, () => ({ type: 'stall' as const, afterText: 'thinking about it' })),
        stop: 'error',
        kinds: ['timeout'],
      },
      {
        name: 'in-band stream error',
        turns: Array.from({ length: 4 }, () => ({ type: 'stream_error' as const, afterText: 'so far' })),
        stop: 'error',
        kinds: ['server_error', 'overloaded', 'truncated_stream'],
      },
      {
        name: '429 storm (retry-after 0), never ends',
        turns: Array.from({ length: scaled(6) }, () => ({ type: 'http_error' as const, status: 429, headers: { 'retry-after': '0' } })),
        stop: 'error',
        kinds: ['rate_limit'],
      },
      {
        name: '3 × 503 then success',
        turns: [...Array.from({ length: 3 }, () => ({ type: 'http_error' as const, status: 503 })), { type: 'text', text: 'ok now' }],
        stop: 'done',
        kinds: [],
      },
      {
        name: '500 storm',
        turns: Array.from({ length: scaled(6) }, () => ({
          type: 'http_error' as const,
          status: 500,
          body: '<html>Internal Server Error</html>',
          headers: { 'content-type': 'text/html' },
        })),
        stop: 'error',
        kinds: ['server_error'],
      },
      {
        name: '529 overloaded storm',
        turns: Array.from({ length: 6 }, () => ({ type: 'http_error' as const, status: 529 })),
        stop: 'error',
        kinds: ['overloaded', 'server_error'],
      },
      { name: '402 quota', turns: [{ type: 'http_error', status: 402 }], stop: 'error', kinds: ['quota_exhausted'] },
    ];
    for (const c of cases) {
      stack.provider.reset();
      stack.provider.script(c.turns);
      const o = await runOnce(stack.daemon.state, c.name);
      lines.push(
        `provider-faults: ${c.name.padEnd(44)} → ${o.stopReason}${o.kind ? ` (${o.kind})` : ''} in ${o.ms} ms after ${stack.provider.requests.length} request(s)`,
      );
      expect(o.stopReason, c.name).toBe(c.stop);
      if (c.kinds.length) expect(c.kinds, `${c.name}: ${o.kind} ${o.message}`).toContain(o.kind);
      if (o.stopReason === 'error') expect(o.message?.length, c.name).toBeGreaterThan(0);
      if (c.requests !== undefined) expect(stack.provider.requests.length, c.name).toBe(c.requests);
      await expectHealthy();
    }
  }, 120_000);

  it('garbage bytes, wrong content types, not-HTTP answers from a raw server', async () => {
    const cases: { behaviour: RawBehaviour; kinds: string[] }[] = [
      { behaviour: 'garbage', kinds: ['invalid_response', 'truncated_stream'] },
      { behaviour: 'html', kinds: ['invalid_response'] },
      { behaviour: 'json', kinds: ['invalid_response'] },
      { behaviour: 'badsse', kinds: ['invalid_response', 'truncated_stream'] },
      { behaviour: 'empty', kinds: ['invalid_response', 'truncated_stream'] },
      { behaviour: 'proxy502', kinds: ['server_error'] },
      { behaviour: 'nothttp', kinds: ['network', 'invalid_response'] },
    ];
    for (const c of cases) {
      const o = await runOnce(stack.daemon.state, `raw ${c.behaviour}`, `raw:${c.behaviour}`);
      lines.push(
        `provider-faults: raw server ${c.behaviour.padEnd(33)} → ${o.stopReason}${o.kind ? ` (${o.kind})` : ''} in ${o.ms} ms: ${(o.message ?? '').slice(0, 90)}`,
      );
      expect(o.stopReason, c.behaviour).toBe('error');
      expect(c.kinds, `${c.behaviour}: ${o.kind} ${o.message}`).toContain(o.kind);
      await expectHealthy();
    }
    // And after all that, a normal run works.
    stack.provider.reset();
    stack.provider.script([{ type: 'text', text: 'all good' }]);
    const after = await runOnce(stack.daemon.state, 'still there?');
    expect(after.stopReason).toBe('done');
    lines.push(`provider-faults: ${raw.hits} raw-server requests; daemon healthy throughout; a following run completes (done)`);
  }, 120_000);
});
