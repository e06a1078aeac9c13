import { existsSync } from 'node:fs';
import { open, rename, rm, statfs, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { StorageHealth } from '@hermes/protocol';
import { asStorageError, StorageError } from './storage-error.js';

export type FaultOp = 'write' | 'sync' | 'truncate';
/**
 * Test hook: the errno code to fail an operation with, or null to let it run. A failing write
 * may first write `partialBytes` of its buffer (a short write, as a filling disk does).
 */
export type FaultHook = (op: FaultOp, file: string, bytes: number) => { code: string; partialBytes?: number } | null;

/** Bytes kept in reserve so a run that hit a full disk can still record its end. */
export const RESERVE_BYTES = 256 * 1024;
const RESERVE_RETRY_MS = 1000;

/**
 * The one way session files are written: whole-buffer writes (a short write is continued or
 * becomes an error, never a silent torn line), syncs and truncations, each turning an errno
 * into a StorageError and recording the health `/v1/hello` reports. It keeps a small reserve
 * file that is released on ENOSPC, so the failed run's `run.completed` still fits.
 */
export class StorageLayer {
  private failure: { code: string; message: string; since: string } | null = null;
  private reserveMissing = true;
  private reserveBusy = false;
  private reserveTriedAt = 0;
  readonly reserveFile: string;

  constructor(
    stateDir: string,
    private readonly faults: FaultHook | null = null,
    private readonly reserveBytes = RESERVE_BYTES,
  ) {
    this.reserveFile = path.join(stateDir, 'reserve');
  }

  health(): StorageHealth {
    return this.failure ? { ok: false, ...this.failure } : { ok: true };
  }

  async writeAll(fh: FileHandle, file: string, buf: Buffer): Promise<void> {
    try {
      const fault = this.faults?.('write', file, buf.length) ?? null;
      let end = buf.length;
      if (fault) end = Math.min(buf.length, Math.max(0, fault.partialBytes ?? 0));
      let off = 0;
      while (off < end) {
        const { bytesWritten } = await fh.write(buf, off, end - off);
        // A regular file only writes short when the disk is filling; the next write says why.
        if (bytesWritten === 0) throw Object.assign(new Error('write wrote nothing'), { code: 'ENOSPC' });
        off += bytesWritten;
      }
      if (fault) throw Object.assign(new Error(`injected ${fault.code}`), { code: fault.code });
    } catch (err) {
      throw this.failed(err, file);
    }
  }

  async datasync(fh: FileHandle, file: string): Promise<void> {
    try {
      const fault = this.faults?.('sync', file, 0);
      if (fault) throw Object.assign(new Error(`injected ${fault.code}`), { code: fault.code });
      await fh.datasync();
    } catch (err) {
      throw this.failed(err, file);
    }
  }

  async truncate(fh: FileHandle, file: string, length: number): Promise<void> {
    try {
      const fault = this.faults?.('truncate', file, 0);
      if (fault) throw Object.assign(new Error(`injected ${fault.code}`), { code: fault.code });
      await fh.truncate(length);
    } catch (err) {
      throw this.failed(err, file);
    }
  }

  /**
   * A write went through. Storage counts as healthy again once the reserve is back too (a
   * write that only fit thanks to the reserve does not mean the disk has room).
   */
  succeeded(): void {
    if (!this.reserveMissing || this.reserveBytes <= 0) {
      this.failure = null;
      return;
    }
    if (!this.reserveBusy && Date.now() - this.reserveTriedAt > RESERVE_RETRY_MS) void this.ensureReserve();
  }

  private failed(err: unknown, file: string): Error {
    const se = asStorageError(err, file);
    if (!se) return err instanceof Error ? err : new Error(String(err));
    if (!this.failure || this.failure.code !== se.code)
      this.failure = { code: se.code, message: se.message, since: new Date().toISOString() };
    if (se.code === 'ENOSPC' || se.code === 'EDQUOT') void this.releaseReserve();
    return se;
  }

  /** Creates the reserve file when it is missing; never throws (a full disk just has none). */
  async ensureReserve(): Promise<void> {
    if (this.reserveBusy || this.reserveBytes <= 0) return;
    this.reserveBusy = true;
    this.reserveTriedAt = Date.now();
    try {
      if (existsSync(this.reserveFile)) {
        this.reserveMissing = false;
        this.failure = null;
        return;
      }
      // Only with room to spare: rebuilding it on a disk that is still nearly full would just
      // take the space the next writes need (and storage would look healthy when it is not).
      const fs = await statfs(path.dirname(this.reserveFile));
      if (fs.bavail * fs.bsize < 4 * this.reserveBytes) return;
      const tmp = `${this.reserveFile}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.write(Buffer.alloc(this.reserveBytes));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.reserveFile);
      this.reserveMissing = false;
      this.failure = null;
    } catch {
      await rm(`${this.reserveFile}.tmp`, { force: true }).catch(() => {});
    } finally {
      this.reserveBusy = false;
    }
  }

  /** Frees the reserve's space for the writes that must still happen (the ends of runs). */
  async releaseReserve(): Promise<void> {
    if (this.reserveMissing) return;
    this.reserveMissing = true;
    await rm(this.reserveFile, { force: true }).catch(() => {});
  }
}

/**
 * The fault hook tests turn on in a daemon process: `HERMES_TEST_STORAGE_FAULTS=CODE:P[:SEED]`
 * fails each write, sync or truncation of a log or the index with probability P (writes partly written first);
 * with `HERMES_TEST_STORAGE_FAULTS_SWITCH=FILE`, only while FILE exists. Never set in use.
 */
export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultHook | null {
  const spec = env.HERMES_TEST_STORAGE_FAULTS;
  if (!spec) return null;
  const [code = 'EIO', p = '0.05', seedText] = spec.split(':');
  const probability = Number(p);
  let seed = Number(seedText ?? Date.now()) >>> 0;
  const random = () => {
    // mulberry32: reproducible from the printed seed.
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gate = env.HERMES_TEST_STORAGE_FAULTS_SWITCH;
  return (op, file, bytes) => {
    if (!file.endsWith('.jsonl')) return null;
    if (gate && !existsSync(gate)) return null;
    if (random() >= probability) return null;
    return { code, ...(op === 'write' ? { partialBytes: Math.floor(random() * bytes) } : {}) };
  };
}

export { StorageError };
