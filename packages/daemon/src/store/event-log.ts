import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AnyEnvelope, ENVELOPE_VERSION, type EventDraft } from '@hermes/protocol';

export interface LoadedLog {
  events: AnyEnvelope[];
  /** Bytes cut from the end: a torn last line from a crash mid-write, or lines that broke the seq order. */
  truncatedBytes: number;
}

interface ReadResult {
  events: AnyEnvelope[];
  /** Byte length of each good line, newline included. */
  lineBytes: number[];
}

interface PendingBatch {
  lines: string[];
  envelopes: AnyEnvelope[];
  durable: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One session's append-only JSONL log. The log is the source of truth: line N holds seq N.
 *
 * Appends get their seq synchronously, so the order is the call order; writes are grouped
 * (everything queued while a write is in flight goes out in the next single write), and
 * `onCommit` sees each batch only after it reached the file, so no client ever sees an event
 * that a crash could take back. `durable` appends are fsync'd before they resolve.
 */
export class EventLog {
  private queue: PendingBatch[] = [];
  private writing = false;
  private failed: Error | null = null;
  private closed = false;
  private idle: Array<() => void> = [];

  private constructor(
    readonly file: string,
    readonly sessionId: string,
    private fh: FileHandle,
    private nextSeq: number,
    private readonly onCommit: (events: AnyEnvelope[]) => void,
  ) {}

  /** Reads a log (tolerating a torn last line) and opens it for appending. */
  static async open(
    file: string,
    sessionId: string,
    onCommit: (events: AnyEnvelope[]) => void,
  ): Promise<{ log: EventLog; loaded: LoadedLog }> {
    const read = await readLog(file);
    const fh = await open(file, 'a+', 0o600);
    const { size } = await fh.stat();
    let valid = read.lineBytes.reduce((a, b) => a + b, 0);
    // A last line without its newline was never acknowledged (appends resolve after the whole
    // line is written): drop it, or the next append would be glued onto it.
    if (valid > size && read.events.length > 0) {
      read.events.pop();
      valid -= read.lineBytes.pop()!;
    }
    if (size > valid) {
      await fh.truncate(valid);
      await fh.sync();
    }
    const log = new EventLog(file, sessionId, fh, read.events.length + 1, onCommit);
    return { log, loaded: { events: read.events, truncatedBytes: Math.max(0, size - valid) } };
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Appends events; resolves with their envelopes once written (and fsync'd when durable). */
  append(drafts: EventDraft[], opts: { durable?: boolean } = {}): Promise<AnyEnvelope[]> {
    if (this.failed) return Promise.reject(this.failed);
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
        lines: envelopes.map((e) => JSON.stringify(e) + '\n'),
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
      try {
        await this.fh.write(batch.map((b) => b.lines.join('')).join(''));
        if (batch.some((b) => b.durable)) await this.fh.datasync();
      } catch (err) {
        // The seqs handed out can no longer be trusted: fail this and every later append.
        this.failed = err instanceof Error ? err : new Error(String(err));
        for (const b of [...batch, ...this.queue]) b.reject(this.failed);
        this.queue = [];
        break;
      }
      this.onCommit(batch.flatMap((b) => b.envelopes));
      for (const b of batch) b.resolve();
    }
    this.writing = false;
    for (const wake of this.idle.splice(0)) wake();
  }

  /** Resolves when every queued append has been written. */
  drain(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await this.fh.close().catch(() => {});
  }
}

/**
 * Reads a log file line by line. Stops at the first line that does not parse or breaks the
 * seq order (a crash mid-write leaves at most a torn last line); what follows is reported in
 * `truncatedBytes` so the caller can cut it.
 */
export async function readLog(file: string): Promise<ReadResult> {
  const events: AnyEnvelope[] = [];
  const lineBytes: number[] = [];
  try {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
      const parsed = parseLine(line, events.length + 1);
      if (!parsed) {
        rl.close();
        break;
      }
      events.push(parsed);
      lineBytes.push(Buffer.byteLength(line) + 1);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], lineBytes: [] };
    throw err;
  }
  return { events, lineBytes };
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
