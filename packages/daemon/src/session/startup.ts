import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isSessionId, type EventDraft } from '@hermes/protocol';
import { isStorageError } from '../store/storage-error.js';
import { logStat, SessionIndex, type IndexEntry } from '../store/session-index.js';
import type { Logger } from '../util/log.js';
import type { Session } from './session.js';

/** Stats and repairs run this many at a time: the thread pool, not the event loop, does the work. */
const PARALLEL = 32;

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The entry of a session just loaded from its log (null while its size is not what it folded). */
export async function entryOf(session: Session): Promise<IndexEntry | null> {
  const summary = session.summary();
  const { bytes } = session.committedState;
  const st = await logStat(session.file);
  if (!st || st.size !== bytes) return null;
  return { ...summary, bytes, mtimeMs: st.mtimeMs };
}

/**
 * Start-up without folding every log: the index is read and checked against each log's size
 * and mtime; only logs without a fresh entry, with a non-idle entry, or with a run marker are
 * loaded. Returns the sessions that stay loaded (marker or non-idle: their runs need closing).
 */
export async function reconcile(opts: {
  dir: string;
  index: SessionIndex;
  marked: Set<string>;
  load: (id: string) => Promise<Session>;
  log: Logger;
}): Promise<{ keep: Session[]; repaired: number }> {
  const { dir, index, marked, log } = opts;
  const { skipped } = await index.read();
  const ids = (await readdir(dir)).flatMap((f) => (f.endsWith('.jsonl') && isSessionId(f.slice(0, -6)) ? [f.slice(0, -6)] : []));
  const onDisk = new Set(ids);
  let rewrite = skipped > 0;
  for (const e of [...index.values()]) {
    if (!onDisk.has(e.id)) {
      index.forget(e.id);
      rewrite = true;
    }
  }
  const toLoad: string[] = [];
  await eachLimited(ids, PARALLEL, async (id) => {
    const st = await logStat(path.join(dir, `${id}.jsonl`));
    if (!st) return;
    const entry = index.get(id);
    if (marked.has(id) || !SessionIndex.fresh(entry, st) || entry!.status !== 'idle') toLoad.push(id);
  });
  const keep: Session[] = [];
  let repaired = 0;
  await eachLimited(toLoad, 8, async (id) => {
    let session: Session;
    try {
      session = await opts.load(id);
    } catch (err) {
      log('error', 'could not load a session log', { id, error: String(err) });
      index.forget(id);
      return;
    }
    const entry = await entryOf(session);
    const fresh = SessionIndex.fresh(index.get(id), { size: entry?.bytes ?? -1, mtimeMs: entry?.mtimeMs ?? -1 });
    if (entry) index.load(entry);
    else index.load({ ...session.summary(), bytes: 0, mtimeMs: 0 });
    if (!fresh) {
      repaired++;
      rewrite = true;
    }
    if (marked.has(id) || session.transcript.activeRunId !== null) keep.push(session);
    else await session.close();
  });
  if (repaired > 0) log('info', 'repaired the session index from the logs', { repaired, sessions: ids.length });
  if (rewrite) await index.rewrite().catch((err: unknown) => log('warn', 'could not write the session index', { error: String(err) }));
  return { keep, repaired };
}

/**
 * Closes a run a crash or restart left open: its pending approvals denied, its questions
 * cancelled, `run.completed
 * {stopReason: interrupted}`. False when the disk would not take it: the end is then owed
 * (written before the session's next event) and the daemon still starts.
 */
export async function closeInterrupted(session: Session, log: Logger): Promise<boolean> {
  const t = session.transcript;
  if (!t.activeRunId) return true;
  const runId = t.activeRunId;
  const drafts: EventDraft[] = t.pendingApprovals.map((p) => ({
    type: 'approval.resolved',
    runId,
    data: { approvalId: p.approvalId, decision: 'deny', by: 'restart', reason: 'the daemon restarted' },
  }));
  // A question left open is cancelled like its run (nobody can answer it any more).
  for (const p of t.pendingClarifications ?? []) {
    drafts.push({ type: 'clarify.resolved', runId, data: { clarifyId: p.clarifyId, answers: null, by: 'restart', reason: 'cancelled' } });
  }
  drafts.push({
    type: 'run.completed',
    runId,
    data: {
      stopReason: 'interrupted',
      error: { kind: 'interrupted', message: 'The daemon stopped while this run was in progress.', retryable: true },
      usage: { inputTokens: 0, outputTokens: 0 },
    },
  });
  try {
    await session.append(drafts, { durable: true });
  } catch (err) {
    if (!isStorageError(err)) throw err;
    log('error', 'could not close an interrupted run', { id: session.id, code: err.code });
    session.owe(drafts, { code: err.code, message: err.message, hint: err.hint });
    return false;
  }
  log('warn', 'run ended', {
    sessionId: session.id,
    runId,
    stopReason: 'interrupted',
    error: 'the daemon stopped while it was in progress (found at restart)',
  });
  return true;
}
