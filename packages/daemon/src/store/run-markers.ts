import { open, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isSessionId } from '@hermes/protocol';
import { ensurePrivateDir } from '../util/fs.js';
import { asStorageError } from './storage-error.js';

/**
 * Durable "a run is open" markers, `sessions/.state/running/<session id>`: written (and
 * fsync'd, with the directory) before a run's `run.started` reaches the log, removed after its
 * `run.completed` did. At start-up the daemon folds only these sessions' logs to close their
 * runs as interrupted, instead of folding every log to find them.
 */
export class RunMarkers {
  readonly dir: string;
  /** Per session, the last operation: a clear and the next run's mark never overtake each other. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Sessions whose marker is on disk: a run that follows a queued one needs no new write. */
  private readonly marked = new Set<string>();

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'running');
  }

  async init(): Promise<void> {
    await ensurePrivateDir(this.dir);
  }

  /** Session ids with a marker: their run was open when the daemon last stopped. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter(isSessionId);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  private chain(sessionId: string, op: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(sessionId) ?? Promise.resolve()).then(op);
    const settled = next.catch(() => {});
    this.chains.set(sessionId, settled);
    void settled.then(() => {
      if (this.chains.get(sessionId) === settled) this.chains.delete(sessionId);
    });
    return next;
  }

  /** Durable before it resolves; a disk that refuses is a StorageError (the POST gets 507). */
  mark(sessionId: string, runId: string): Promise<void> {
    return this.chain(sessionId, async () => {
      // The marker only says "a run may be open here" (the log says which): one is enough.
      if (this.marked.has(sessionId)) return;
      await this.write(sessionId, runId);
      this.marked.add(sessionId);
    });
  }

  private async write(sessionId: string, runId: string): Promise<void> {
    const file = path.join(this.dir, sessionId);
    try {
      const fh = await open(file, 'w', 0o600);
      try {
        await fh.write(`${runId}\n`);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      const dir = await open(this.dir, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (err) {
      throw asStorageError(err, file) ?? err;
    }
  }

  /** No fsync, no need to wait: a marker that outlives its run only costs one log fold at the next start. */
  clear(sessionId: string): Promise<void> {
    return this.chain(sessionId, async () => {
      this.marked.delete(sessionId);
      await rm(path.join(this.dir, sessionId), { force: true }).catch(() => {});
    });
  }

  /** Waits for every operation in flight (shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }
}
