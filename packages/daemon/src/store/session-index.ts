import { createReadStream } from 'node:fs';
import { open, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SessionSummary } from '@hermes/protocol';
import * as z from 'zod';

/** One session in the index: its summary and the size/mtime of its log when it was taken. */
export const IndexEntry = SessionSummary.extend({
  /** The log's size up to `lastSeq`: a log of another size changed after the entry was written. */
  bytes: z.number().int().nonnegative(),
  mtimeMs: z.number().nonnegative(),
});
export type IndexEntry = z.infer<typeof IndexEntry>;

const Tombstone = z.object({ id: z.string(), deleted: z.literal(true) });

/** How long changes wait before they are appended to the index (no write, let alone fsync, per delta). */
export const INDEX_FLUSH_MS = 250;

/**
 * The session index, `sessions/.state/index.jsonl`: one JSON line per change, the last line
 * of an id winning, `{id, deleted: true}` for a removed session. The logs are the source of
 * truth: an entry is only trusted while its log has the size and mtime it records; a missing,
 * torn or stale index is repaired from the logs at start-up. Appends are batched and never
 * fsync'd (a lost tail is just repaired), and the file is rewritten when superseded lines
 * pile up.
 */
export class SessionIndex {
  readonly file: string;
  private readonly entries = new Map<string, IndexEntry>();
  /** Ids whose line is to be (re)written: `entry` asks the owner for a settled entry then. */
  private readonly pending = new Set<string>();
  private fh: FileHandle | null = null;
  private lines = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    stateDir: string,
    /** The entry to write for an id now (size and mtime of its log included), null to retry later. */
    private readonly snapshot: (id: string) => Promise<IndexEntry | null>,
    private readonly onError: (err: unknown) => void,
  ) {
    this.file = path.join(stateDir, 'index.jsonl');
  }

  /** Reads the index file (tolerating torn or invalid lines); returns how many lines were skipped. */
  async read(): Promise<{ skipped: number }> {
    let skipped = 0;
    this.entries.clear();
    try {
      const rl = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line) continue;
        this.lines++;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          skipped++;
          continue;
        }
        const entry = IndexEntry.safeParse(json);
        if (entry.success) this.entries.set(entry.data.id, entry.data);
        else if (Tombstone.safeParse(json).success) this.entries.delete((json as { id: string }).id);
        else skipped++;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return { skipped };
  }

  get(id: string): IndexEntry | undefined {
    return this.entries.get(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  values(): IterableIterator<IndexEntry> {
    return this.entries.values();
  }

  /** Whether an entry still describes its log (same size and mtime). */
  static fresh(entry: IndexEntry | undefined, log: { size: number; mtimeMs: number }): boolean {
    return entry !== undefined && entry.bytes === log.size && entry.mtimeMs === log.mtimeMs;
  }

  /** Sets a settled entry (its log's size and mtime known) in memory and queues it for the file. */
  set(entry: IndexEntry): void {
    this.entries.set(entry.id, entry);
    this.queue(entry.id);
  }

  /** A loaded session changed: its summary now, its line once it settles (see `snapshot`). */
  changed(id: string, summary: SessionSummary): void {
    const prev = this.entries.get(id);
    this.entries.set(id, { bytes: prev?.bytes ?? 0, mtimeMs: prev?.mtimeMs ?? 0, ...summary });
    this.queue(id);
  }

  remove(id: string): void {
    this.entries.delete(id);
    this.queue(id);
  }

  /** Sets an entry in memory only (read from the file, or repaired: a rewrite follows). */
  load(entry: IndexEntry): void {
    this.entries.set(entry.id, entry);
  }

  /** Drops an entry in memory only (its log is gone; the rewrite forgets it). */
  forget(id: string): void {
    this.entries.delete(id);
  }

  private queue(id: string): void {
    this.pending.add(id);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => void this.flush(), INDEX_FLUSH_MS);
    this.timer.unref();
  }

  /** Appends what changed; rewrites the file when it holds far more lines than sessions. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
      this.schedule();
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending.clear();
    const lines: string[] = [];
    const later: string[] = [];
    for (const id of ids) {
      if (!this.entries.has(id)) {
        lines.push(JSON.stringify({ id, deleted: true }));
        continue;
      }
      const entry = await this.snapshot(id).catch(() => null);
      if (!entry) later.push(id);
      else {
        this.entries.set(id, entry);
        lines.push(JSON.stringify(entry));
      }
    }
    try {
      if (this.lines + lines.length > 2 * this.entries.size + 1000) await this.rewrite();
      else if (lines.length > 0) {
        this.fh ??= await open(this.file, 'a', 0o600);
        await this.fh.write(lines.join('\n') + '\n');
        this.lines += lines.length;
      }
    } catch (err) {
      // Not fatal: the logs are the truth, and a later start repairs what is missing. Retried.
      for (const id of ids) later.push(id);
      this.onError(err);
    }
    for (const id of later) this.pending.add(id);
  }

  /** Writes the whole index anew (temp file + rename): after a repair, or to compact it. */
  async rewrite(): Promise<void> {
    this.pending.clear();
    const text = [...this.entries.values()].map((e) => JSON.stringify(e) + '\n').join('');
    await this.fh?.close().catch(() => {});
    this.fh = null;
    // Temp file + rename, no fsync: a lost or empty index is only repaired from the logs.
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, this.file);
    this.lines = this.entries.size;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh?.close().catch(() => {});
    this.fh = null;
  }
}

/** Size and mtime of a log, or null when it is gone. */
export async function logStat(file: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const s = await stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}
