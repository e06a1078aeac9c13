import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AnyEnvelope, ENVELOPE_VERSION, type EventDraft } from '@hermes/protocol';
import { StorageLayer } from './file-layer.js';
import { asStorageError } from './storage-error.js';

/** Called with each batch once it is on disk; `jsons[i]` is the JSON text of `events[i]` as written. */
export type CommitListener = (events: AnyEnvelope[], jsons: string[]) => void;

export interface LoadedLog {
  events: AnyEnvelope[];
  /** The JSON text of each event as it is in the file (its line without the newline). */
  lines: string[];
  /** Bytes cut from the end: a torn last line from a crash mid-write, or lines that broke the seq order. */
  truncatedBytes: number;
}

interface ReadResult {
  events: AnyEnvelope[];
  /** The text of each good line, without its newline. */
  lines: string[];
  /** Byte length of each good line, newline included. */
  lineBytes: number[];
}

interface PendingBatch {
  /** Each envelope's JSON: written to the file and handed to the commit listener (encoded once). */
  jsons: string[];
  envelopes: AnyEnvelope[];
  durable: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Logs up to this size are read in one go. */
const SMALL_LOG_BYTES = 4 * 1024 * 1024;

/** Used when the caller gives no layer (tools, tests): no reserve, no faults. */
const plainLayer = new StorageLayer('', null, 0);

/**
 * One session's append-only JSONL log. The log is the source of truth: line N holds seq N.
 *
 * Appends get their seq synchronously, so the order is the call order; writes are grouped
 * (everything queued while a write is in flight goes out in the next single write), and
 * `onCommit` sees each batch only after it reached the file, so no client ever sees an event
 * that a crash could take back. `durable` appends are fsync'd before they resolve.
 *
 * A failed write (disk full, I/O error…) rejects its batch and everything queued behind it
 * with a StorageError, hands their seqs out again and cuts whatever part of it reached the
 * file, so the log stays gap-free and a later append (once the disk is back) just works.
 */
export class EventLog {
  private queue: PendingBatch[] = [];
  private writing = false;
  private closed = false;
  private idle: Array<() => void> = [];
  /** Bytes past `committedBytes` may be on disk (a failed write): cut them before the next one. */
  private dirtyTail = false;

  private constructor(
    readonly file: string,
    readonly sessionId: string,
    private fh: FileHandle | null,
    private nextSeq: number,
    private committed: { seq: number; bytes: number },
    private readonly onCommit: CommitListener,
    private readonly storage: StorageLayer,
  ) {}

  /**
   * Reads a log (tolerating a torn last line) and opens it for appending. A log that cannot be
   * opened for writing (read-only disk, permissions) still loads; its appends fail until it can.
   */
  static async open(
    file: string,
    sessionId: string,
    onCommit: CommitListener,
    storage: StorageLayer = plainLayer,
  ): Promise<{ log: EventLog; loaded: LoadedLog }> {
    const read = await readLog(file);
    let valid = read.lineBytes.reduce((a, b) => a + b, 0);
    let fh: FileHandle | null = null;
    let size = valid;
    try {
      fh = await open(file, 'a+', 0o600);
      size = (await fh.stat()).size;
    } catch (err) {
      if (!asStorageError(err, file)) throw err;
    }
    // A last line without its newline was never acknowledged (appends resolve after the whole
    // line is written): drop it, or the next append would be glued onto it.
    if (valid > size && read.events.length > 0) {
      read.events.pop();
      read.lines.pop();
      valid -= read.lineBytes.pop()!;
    }
    const log = new EventLog(file, sessionId, fh, read.events.length + 1, { seq: read.events.length, bytes: valid }, onCommit, storage);
    if (fh && size > valid) {
      log.dirtyTail = true;
      try {
        await storage.truncate(fh, file, valid);
        await storage.datasync(fh, file);
        log.dirtyTail = false;
      } catch (err) {
        if (!asStorageError(err, file)) throw err;
      }
    }
    return { log, loaded: { events: read.events, lines: read.lines, truncatedBytes: Math.max(0, size - valid) } };
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The last seq on disk and the log's size up to it (what the index records). */
  get committedState(): { seq: number; bytes: number } {
    return { ...this.committed };
  }

  /** Appends events; resolves with their envelopes once written (and fsync'd when durable). */
  append(drafts: EventDraft[], opts: { durable?: boolean } = {}): Promise<AnyEnvelope[]> {
    if (this.closed) return Promise.reject(new Error(`event log of ${this.sessionId} is closed`));
    const ts = new Date().toISOString();
    const envelopes: AnyEnvelope[] = drafts.map((d) => ({
      v: ENVELOPE_VERSION,
      seq: this.nextSeq++,
      sessionId: this.sessionId,
      ...(d.runId !== undefined ? { runId: d.runId } : {}),
      ts,
      type: d.type,
      data: d.data,
    }));
    return new Promise((resolve, reject) => {
      this.queue.push({
        jsons: envelopes.map((e) => JSON.stringify(e)),
        envelopes,
        durable: opts.durable ?? false,
        resolve: () => resolve(envelopes),
        reject,
      });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let text = '';
      for (const b of batch) for (const json of b.jsons) text += json + '\n';
      const buf = Buffer.from(text);
      try {
        this.fh ??= await this.reopen();
        if (this.dirtyTail) await this.cutTail(this.fh);
        this.dirtyTail = true;
        await this.storage.writeAll(this.fh, this.file, buf);
        if (batch.some((b) => b.durable)) await this.storage.datasync(this.fh, this.file);
        this.dirtyTail = false;
      } catch (err) {
        this.failBatch(batch, err);
        // Cut the failed write's bytes now, so the file is clean even if nothing follows.
        if (this.fh && this.dirtyTail) await this.cutTail(this.fh).catch(() => {});
        continue;
      }
      const envelopes = batch.flatMap((b) => b.envelopes);
      this.committed = { seq: envelopes.at(-1)?.seq ?? this.committed.seq, bytes: this.committed.bytes + buf.length };
      this.storage.succeeded();
      try {
        this.onCommit(
          envelopes,
          batch.flatMap((b) => b.jsons),
        );
      } catch (err) {
        // A subscriber's bug must not wedge the log: the events are on disk either way.
        process.emitWarning(`session ${this.sessionId}: a commit listener threw: ${String(err)}`);
      }
      for (const b of batch) b.resolve();
    }
    this.writing = false;
    for (const wake of this.idle.splice(0)) wake();
  }

  /** Rejects a failed batch and everything queued behind it (their seqs follow it), and hands those seqs out again. */
  private failBatch(batch: PendingBatch[], err: unknown): void {
    const failure = asStorageError(err, this.file) ?? (err instanceof Error ? err : new Error(String(err)));
    const rejected = [...batch, ...this.queue];
    this.queue = [];
    this.nextSeq = this.committed.seq + 1;
    for (const b of rejected) b.reject(failure);
  }

  private async cutTail(fh: FileHandle): Promise<void> {
    await this.storage.truncate(fh, this.file, this.committed.bytes);
    this.dirtyTail = false;
  }

  private async reopen(): Promise<FileHandle> {
    try {
      const fh = await open(this.file, 'a+', 0o600);
      // Whatever is past the last committed line was never acknowledged.
      if ((await fh.stat()).size !== this.committed.bytes) this.dirtyTail = true;
      return fh;
    } catch (err) {
      throw asStorageError(err, this.file) ?? err;
    }
  }

  get isIdle(): boolean {
    return !this.writing && this.queue.length === 0;
  }

  /** Resolves when every queued append has been written. */
  drain(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await this.fh?.close().catch(() => {});
  }
}

/**
 * Reads a log file line by line. Stops at the first line that does not parse or breaks the
 * seq order (a crash mid-write leaves at most a torn last line); what follows is reported in
 * `truncatedBytes` so the caller can cut it.
 */
export async function readLog(file: string): Promise<ReadResult> {
  const events: AnyEnvelope[] = [];
  const lines: string[] = [];
  const lineBytes: number[] = [];
  const take = (line: string): boolean => {
    const parsed = parseLine(line, events.length + 1);
    if (!parsed) return false;
    events.push(parsed);
    lines.push(line);
    lineBytes.push(Buffer.byteLength(line) + 1);
    return true;
  };
  try {
    // Most logs are small: one read beats a stream's machinery (start-up repairs read thousands).
    const size = (await stat(file)).size;
    if (size <= SMALL_LOG_BYTES) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      // The piece after the last newline is a torn line (or empty): it counts only if it parses.
      for (const line of lines.at(-1) === '' ? lines.slice(0, -1) : lines) if (!take(line)) break;
      return { events, lines, lineBytes };
    }
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
      if (!take(line)) {
        rl.close();
        break;
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], lines: [], lineBytes: [] };
    throw err;
  }
  return { events, lines, lineBytes };
}

function parseLine(line: string, expectedSeq: number): AnyEnvelope | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const env = AnyEnvelope.safeParse(json);
  if (!env.success || env.data.seq !== expectedSeq) return null;
  return env.data;
}

/** Streams the events of a log with `seq > after`, up to `until` inclusive. */
export async function* readLogRange(file: string, after: number, until: number): AsyncGenerator<string> {
  if (until <= after) return;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let seq = 0;
  try {
    for await (const line of rl) {
      seq++;
      if (seq <= after) continue;
      if (seq > until) break;
      yield line;
    }
  } finally {
    rl.close();
  }
}
