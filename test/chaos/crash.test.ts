// Part 1: kill -9 the daemon at random moments during runs, restart it, check nothing is lost.
import type { DaemonState } from '@hermes/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { api, removeHome, startTestDaemon, tempHome, type TestDaemon } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';
import { scaled, seededRandom, sleep } from './support/chaos.js';
import { checkAfterRestart, inFlightRuns, newRunWorks, tearTail } from './support/crash.js';

/**
 * Posts messages from a few concurrent writers until `stopAt`, recording every messageId that
 * got its 202. POSTs cut by the kill are not acknowledged, so they are not recorded.
 */
async function load(
  state: DaemonState,
  sessions: string[],
  commands: readonly string[],
  rnd: ReturnType<typeof seededRandom>,
  stopAt: number,
  acked: Map<string, Set<string>>,
): Promise<number> {
  let count = 0;
  const writer = async (): Promise<void> => {
    while (Date.now() < stopAt) {
      const id = rnd.pick(sessions);
      try {
        const r = await api.post(state, id, rnd.pick(commands));
        if (r.status === 202) {
          const set = acked.get(id) ?? new Set<string>();
          set.add((r.json() as { messageId: string }).messageId);
          acked.set(id, set);
          count++;
        }
      } catch {
        return; // the daemon died under us
      }
      await sleep(rnd.int(0, 40));
    }
  };
  await Promise.all([writer(), writer()]);
  return count;
}

describe('crash: kill -9 at random moments', () => {
  const homes: string[] = [];
  afterAll(async () => {
    for (const h of homes) await removeHome(h);
  });

  it('scripted agent: every acknowledged message survives, in-flight runs are interrupted, new runs work', async () => {
    const rnd = seededRandom('crash/scripted');
    const rounds = scaled(50);
    const home = await tempHome('hermes-chaos-crash-');
    homes.push(home);
    // Long and short runs, a pending approval, bursts: the kill lands in all of them.
    const commands = ['stream 100 2', 'stream 500', 'wait 150', 'say hi', 'stream 40 5', 'say queued', 'approve'];
    const acked = new Map<string, Set<string>>();
    let inFlight = new Set<string>();
    const pool: string[] = [];
    let d: TestDaemon | undefined;
    const totals = { acknowledged: 0, posted: 0, interrupted: 0, torn: 0 };
    try {
      for (let round = 0; round < rounds; round++) {
        d = await startTestDaemon({ home });
        const check = await checkAfterRestart(d.state, home, { acked, inFlight });
        totals.acknowledged = check.acknowledged;
        totals.interrupted += check.interrupted;
        // Every fifth round proves a fresh run; the others go straight back to work (cheaper).
        if (round % 5 === 0) await newRunWorks(d.state, 'say alive');
        // A small pool of long-lived sessions (their logs and queues carry over crashes), plus a new one.
        while (pool.length < 3) pool.push((await api.createSession(d.state)).id);
        const sessions = [...pool, (await api.createSession(d.state)).id];
        totals.posted += await load(d.state, sessions, commands, rnd, Date.now() + rnd.int(20, 250), acked);
        await d.kill('SIGKILL');
        inFlight = await inFlightRuns(home);
        if (rnd.next() < 0.25) {
          await tearTail(home, rnd.pick(sessions));
          totals.torn++;
        }
      }
      d = await startTestDaemon({ home });
      const last = await checkAfterRestart(d.state, home, { acked, inFlight });
      totals.interrupted += last.interrupted;
      await newRunWorks(d.state, 'say alive');
      console.log(
        `crash/scripted: ${rounds} kill -9 at random moments, ${totals.posted} acknowledged messages in ${last.sessions} sessions, all ${last.acknowledged} present; ${totals.interrupted} runs interrupted and closed; ${totals.torn} torn tails, 0 logs unloadable, every log gap-free; new runs work`,
      );
      expect(last.acknowledged).toBe(totals.posted);
      expect(rounds).toBeGreaterThanOrEqual(50);
    } finally {
      await d?.kill();
    }
  }, 240_000);

  it('real agent (scripted provider): the same invariants hold', async () => {
    const rnd = seededRandom('crash/real');
    const rounds = scaled(6);
    let stack: Stack | undefined;
    const acked = new Map<string, Set<string>>();
    let inFlight = new Set<string>();
    const totals = { posted: 0, interrupted: 0 };
    try {
      stack = await startStack({ tokensPerSecond: 400 });
      const sessions = [(await api.createSession(stack.daemon.state)).id, (await api.createSession(stack.daemon.state)).id];
      for (let round = 0; round < rounds; round++) {
        // Long streamed replies, so the kill lands mid-stream; empty queues fall back to echoes.
        stack.provider.script(Array.from({ length: 6 }, () => ({ type: 'long' as const, tokens: 600 })));
        totals.posted += await load(
          stack.daemon.state,
          sessions,
          ['write a long answer', 'and another', 'short'],
          rnd,
          Date.now() + rnd.int(100, 700),
          acked,
        );
        await stack.daemon.kill('SIGKILL');
        inFlight = await inFlightRuns(stack.home);
        stack.provider.reset();
        await stack.restart();
        const check = await checkAfterRestart(stack.daemon.state, stack.home, { acked, inFlight });
        totals.interrupted += check.interrupted;
        expect(check.acknowledged).toBe(totals.posted);
        await newRunWorks(stack.daemon.state, 'hello after the crash', 20_000);
      }
      console.log(
        `crash/real: ${rounds} kill -9 of the real daemon mid-stream, ${totals.posted} acknowledged messages all present; ${totals.interrupted} runs interrupted; every log loads gap-free; new runs work`,
      );
    } finally {
      await stack?.close();
    }
  }, 180_000);
});
