// The crash invariants, shared by the scripted-agent and real-agent rounds of crash.test.ts.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { DaemonState } from '@hermes/protocol';
import { api, rawRequest, readSse } from '../../support/daemon.js';
import { gapFree, readLogTolerant, sessionIds } from './chaos.js';

/** What a crash left behind, read from disk after the kill and before the restart. */
export interface CrashRecord {
  /** sessionId → messageIds that got a 202. */
  acked: Map<string, Set<string>>;
  /** runIds with `run.started` and no `run.completed` on disk at the crash. */
  inFlight: Set<string>;
}

export async function inFlightRuns(home: string): Promise<Set<string>> {
  const open = new Set<string>();
  for (const id of await sessionIds(home)) {
    for (const e of await readLogTolerant(home, id)) {
      if (e.type === 'run.started' && e.runId) open.add(e.runId);
      if (e.type === 'run.completed' && e.runId) open.delete(e.runId);
    }
  }
  return open;
}

/** Simulates a write torn by the crash: half a JSON line at the end of one log. */
export async function tearTail(home: string, id: string): Promise<void> {
  await appendFile(path.join(home, 'sessions', `${id}.jsonl`), '{"v":1,"seq":123456789,"sessionId":"x","ty');
}

export interface CrashCheck {
  acknowledged: number;
  interrupted: number;
  sessions: number;
}

/**
 * After a restart: every acknowledged message is in the transcript or the queue, every log
 * loads and is gap-free, every run in flight at the crash is closed as interrupted, and no
 * session is `running` without a run started after the restart.
 */
export async function checkAfterRestart(state: DaemonState, home: string, rec: CrashRecord): Promise<CrashCheck> {
  const list = (await rawRequest(state, 'GET', '/v1/sessions')).json() as {
    sessions: { id: string; status: string; activeRunId: string | null }[];
  };
  const files = await sessionIds(home);
  if (list.sessions.length !== files.length) throw new Error(`${files.length} logs on disk but ${list.sessions.length} sessions loaded`);
  let acknowledged = 0;
  let interrupted = 0;
  for (const id of files) {
    const r = await rawRequest(state, 'GET', `/v1/sessions/${id}`);
    if (r.status !== 200) throw new Error(`session ${id} does not load: ${r.status} ${r.body.slice(0, 200)}`);
    const got = r.json() as {
      transcript: { items: { kind: string; messageId?: string }[] };
      queued: { messageId: string }[];
      activeRunId: string | null;
    };
    const present = new Set([
      ...got.transcript.items.filter((i) => i.kind === 'user').map((i) => i.messageId),
      ...got.queued.map((q) => q.messageId),
    ]);
    for (const m of rec.acked.get(id) ?? []) {
      if (!present.has(m)) throw new Error(`acknowledged message ${m} of ${id} is lost`);
      acknowledged++;
    }
    const log = await readLogTolerant(home, id);
    if (!gapFree(log.map((e) => e.seq)))
      throw new Error(
        `log ${id} has a gap or a duplicate: ${log
          .map((e) => e.seq)
          .slice(0, 50)
          .join(',')}`,
      );
    for (const e of log) {
      if (e.type === 'run.completed' && e.runId && rec.inFlight.has(e.runId)) {
        if (e.data.stopReason !== 'interrupted') throw new Error(`run ${e.runId} closed as ${String(e.data.stopReason)}, not interrupted`);
        interrupted++;
      }
    }
    if (got.activeRunId && rec.inFlight.has(got.activeRunId))
      throw new Error(`run ${got.activeRunId} of ${id} is still active after the restart`);
  }
  if (interrupted !== rec.inFlight.size)
    throw new Error(`${rec.inFlight.size} runs were in flight but ${interrupted} were closed as interrupted`);
  for (const s of list.sessions) {
    if (s.status !== 'idle' && (!s.activeRunId || rec.inFlight.has(s.activeRunId)))
      throw new Error(`session ${s.id} is ${s.status} without a live run`);
  }
  return { acknowledged, interrupted, sessions: files.length };
}

/** A new session runs a message to completion: the daemon works after the restart. */
export async function newRunWorks(state: DaemonState, text: string, timeoutMs = 15_000): Promise<void> {
  const s = await api.createSession(state);
  const sse = readSse(state, s.id);
  try {
    const posted = await api.post(state, s.id, text);
    if (posted.status !== 202) throw new Error(`POST after restart: ${posted.status}`);
    const done = await sse.until((e) => e.type === 'run.completed', timeoutMs);
    if (done.type !== 'run.completed' || done.data.stopReason !== 'done') throw new Error(`a new run ended ${JSON.stringify(done.data)}`);
  } finally {
    sse.close();
  }
}
