// Shared helpers of the chaos suite: scale, a seeded random source, process inspection and
// log checks. Everything here talks to real processes and files; nothing is mocked.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseKnownEvent, type DaemonState, type HermesEvent } from '@hermes/protocol';
import { rawRequest } from '../../support/daemon.js';

/** `HERMES_CHAOS_SCALE=10` multiplies every iteration count (longer, nightly-style runs). */
export const SCALE = Math.max(1, Number(process.env.HERMES_CHAOS_SCALE ?? 1) || 1);

export const scaled = (n: number): number => Math.round(n * SCALE);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A seeded PRNG (mulberry32) so a failing run can be replayed: the seed is printed, and
 * `HERMES_CHAOS_SEED` sets it.
 */
export function seededRandom(label: string): {
  seed: number;
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
} {
  const seed = Number(process.env.HERMES_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`${label}: seed ${seed} (HERMES_CHAOS_SEED=${seed} replays it)`);
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}

/** Resident memory of a process in KiB, from /proc (Linux). */
export async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}

/** Live processes (not zombies) as `ps` sees them: pid, process group, args. */
export async function processes(): Promise<{ pid: number; pgid: number; args: string }[]> {
  const out: { pid: number; pgid: number; args: string }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, pgrp, …
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z' || rest[0] === 'X') continue;
      const args = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      out.push({ pid: Number(name), pgid: Number(rest[2]), args });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Waits until no live process is in `pgid` (or the deadline passes); returns the survivors. */
export async function groupSurvivors(pgid: number, waitMs = 2000): Promise<{ pid: number; args: string }[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = (await processes()).filter((p) => p.pgid === pgid);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(50);
  }
}

/** A session's log read from disk, tolerating a torn last line (as the daemon does on load). */
export async function readLogTolerant(
  home: string,
  id: string,
): Promise<{ seq: number; type: string; runId?: string; data: Record<string, unknown> }[]> {
  let text: string;
  try {
    text = await readFile(path.join(home, 'sessions', `${id}.jsonl`), 'utf8');
  } catch {
    return [];
  }
  const out: { seq: number; type: string; runId?: string; data: Record<string, unknown> }[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as (typeof out)[number]);
    } catch {
      // a torn tail: the daemon cuts it on load
    }
  }
  return out;
}

/** The session ids with a log file in `home`. */
export async function sessionIds(home: string): Promise<string[]> {
  try {
    return (await readdir(path.join(home, 'sessions'))).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -'.jsonl'.length));
  } catch {
    return [];
  }
}

/** The known events of a session's log, parsed the way clients parse them. */
export async function logEvents(home: string, id: string): Promise<HermesEvent[]> {
  const lines = await readLogTolerant(home, id);
  return lines.map((l) => parseKnownEvent(l)).filter((e): e is HermesEvent => e !== null);
}

/** True when seqs are exactly 1..n. */
export function gapFree(seqs: number[]): boolean {
  return seqs.every((s, i) => s === i + 1);
}

/** The daemon still answers: the health probe after every abuse. */
export async function healthy(state: DaemonState): Promise<boolean> {
  try {
    return (await rawRequest(state, 'GET', '/v1/hello')).status === 200;
  } catch {
    return false;
  }
}

/** Polls `check` until it returns true or the deadline passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
