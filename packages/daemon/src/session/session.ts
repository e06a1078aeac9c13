import {
  emptyTranscript,
  FIRST_MESSAGE_CHARS,
  encodeEventFrame,
  encodeTransportFrame,
  parseKnownEvent,
  reduce,
  type AnyEnvelope,
  type EventDraft,
  type HermesEvent,
  type SessionSummary,
  type StorageErrorFrame,
  type Transcript,
} from '@hermes/protocol';
import { EventLog, readLogRange } from '../store/event-log.js';
import type { StorageLayer } from '../store/file-layer.js';
import type { EventFrame, Subscriber } from './subscriber.js';

/**
 * The SSE frame of an event read back from the log, from its line as written. A line with a
 * raw CR (hand-edited, CRLF) would end the frame's data line early: such a line is re-encoded.
 */
function frameOfLine(e: AnyEnvelope, line: string): string {
  return encodeEventFrame(e, line.includes('\r') ? JSON.stringify(e) : line);
}

/** Recent events kept in memory for fast resume; older ones are read back from the log file. */
export const RING_SIZE = 10_000;
/** First retry of events owed to a failing disk; doubling up to 30 s. */
const OWED_RETRY_MS = 1000;

/**
 * A loaded session: its log, the transcript folded from it, a ring of recent events and the
 * live subscribers. Every write goes through `append`, which is the only place events are
 * folded and published.
 */
export class Session {
  transcript: Transcript;
  /** Recent events as encoded SSE frames (built from the log's own JSON: each event is encoded once). */
  private ring: EventFrame[] = [];
  private readonly subscribers = new Set<Subscriber>();
  /** requestId → messageId, for idempotent POSTs. */
  readonly requests = new Map<string, string>();
  /** messageId of a user message → the run it started. */
  readonly runOfMessage = new Map<string, string>();
  /** Approvals already answered (known at once, before their event is written): a late answer gets 409. */
  readonly resolvedApprovals = new Set<string>();
  /** `clarify` questions already resolved (known at once, before their event is written): a late answer gets 409. */
  readonly resolvedClarifications = new Set<string>();
  /** Queued messages withdrawn (known at once, before their event is written): never started. */
  readonly withdrawn = new Set<string>();
  deleted = false;
  /** The start of the first user message, for the index (and the list's `q`). */
  private firstMessage: string | undefined;
  /**
   * Events that must reach the log before anything else (a run's end that a failed disk would
   * not take): they go out first with the next append, so the log stays gap-free and closed.
   */
  private owed: EventDraft[] = [];
  private owedTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly id: string,
    readonly file: string,
    private log: EventLog,
    private readonly onChange: (session: Session, events: AnyEnvelope[]) => void,
    /** Approval rules granted with `session` answers: owned by the manager, so they outlive an eviction. */
    readonly sessionRules: Set<string>,
  ) {
    this.transcript = emptyTranscript(id);
  }

  static async load(
    id: string,
    file: string,
    onChange: (session: Session, events: AnyEnvelope[]) => void,
    storage?: StorageLayer,
    sessionRules: Set<string> = new Set(),
  ): Promise<{ session: Session; truncatedBytes: number }> {
    // The log calls back into the session it is created for.
    const ref: { session?: Session } = {};
    const { log, loaded } = await EventLog.open(file, id, (events, jsons) => ref.session!.committed(events, jsons), storage);
    const session = (ref.session = new Session(id, file, log, onChange, sessionRules));
    // Only the ring's tail is kept, so only that many frames are built.
    const firstKept = Math.max(0, loaded.events.length - RING_SIZE);
    loaded.events.forEach((e, i) => session.absorb(e, i >= firstKept ? frameOfLine(e, loaded.lines[i]!) : null));
    return { session, truncatedBytes: loaded.truncatedBytes };
  }

  get lastSeq(): number {
    return this.log.lastSeq;
  }

  /** The last seq on disk and the log's size up to it. */
  get committedState(): { seq: number; bytes: number } {
    return this.log.committedState;
  }

  append(drafts: EventDraft[], opts: { durable?: boolean } = {}): Promise<AnyEnvelope[]> {
    const owed = this.owed;
    if (owed.length === 0) return this.log.append(drafts, opts);
    this.owed = [];
    const written = this.log.append([...owed, ...drafts], { durable: true });
    written.catch(() => (this.owed = [...owed, ...this.owed]));
    return written;
  }

  /**
   * A run's end could not be written: it is owed to the log (written before the next append)
   * and every client hears of the failure now, as a transport frame.
   */
  owe(drafts: EventDraft[], failure: StorageErrorFrame): void {
    this.owed.push(...drafts);
    const frame = encodeTransportFrame('storage_error', failure);
    for (const s of this.subscribers) s.write(frame);
    this.retryOwed(OWED_RETRY_MS);
  }

  /** Retries what is owed now and then, so the run closes by itself once the disk is back. */
  private retryOwed(ms: number): void {
    if (this.owedTimer || this.deleted) return;
    this.owedTimer = setTimeout(() => {
      this.owedTimer = null;
      if (this.owed.length === 0 || this.deleted) return;
      this.settle().catch(() => this.retryOwed(Math.min(ms * 2, 30_000)));
    }, ms);
    this.owedTimer.unref();
  }

  /** True while a run's end is owed to the log (the session looks busy until it is written). */
  get owesEvents(): boolean {
    return this.owed.length > 0;
  }

  /** Writes what is owed (if anything); rejects with the storage failure when the disk still refuses. */
  async settle(): Promise<void> {
    if (this.owed.length > 0) await this.append([], { durable: true });
  }

  /**
   * Folds one event in. Events read back from disk are validated; events this process just
   * appended were built from typed drafts, so the schema parse is skipped on the hot path.
   */
  private absorb(e: AnyEnvelope, frame: string | null, trusted = false): void {
    const known = trusted ? (e as HermesEvent) : parseKnownEvent(e);
    if (known) {
      this.transcript = reduce(this.transcript, known);
      if ((known.type === 'message.user' || known.type === 'message.queued') && known.data.requestId) {
        this.requests.set(known.data.requestId, known.data.messageId);
      }
      if (known.type === 'approval.resolved') this.resolvedApprovals.add(known.data.approvalId);
      if (known.type === 'clarify.resolved') this.resolvedClarifications.add(known.data.clarifyId);
      if (known.type === 'message.user' && this.firstMessage === undefined) {
        this.firstMessage = known.data.text.replace(/\s+/g, ' ').trim().slice(0, FIRST_MESSAGE_CHARS);
      }
      if (known.type === 'message.dequeued') this.withdrawn.add(known.data.messageId);
      // A steer taken into a running run belongs to it (a later withdrawal gets 409).
      if (known.type === 'message.user' && known.data.delivery === 'steer' && known.runId) {
        this.runOfMessage.set(known.data.messageId, known.runId);
      }
      if (known.type === 'run.started' && known.data.messageId && known.runId) {
        this.runOfMessage.set(known.data.messageId, known.runId);
      }
    }
    if (frame === null) return;
    this.ring.push({ seq: e.seq, frame });
    if (this.ring.length > RING_SIZE * 1.5) this.ring = this.ring.slice(-RING_SIZE);
  }

  /**
   * A batch is on disk. Its frames reuse the JSON the log wrote (no second `JSON.stringify`),
   * and are built once for every subscriber and the ring.
   */
  private committed(events: AnyEnvelope[], jsons: string[]): void {
    const frames: EventFrame[] = events.map((e, i) => ({ seq: e.seq, frame: encodeEventFrame(e, jsons[i]) }));
    for (let i = 0; i < events.length; i++) this.absorb(events[i]!, frames[i]!.frame, true);
    for (const s of this.subscribers) s.deliver(frames);
    this.onChange(this, events);
  }

  summary(): SessionSummary {
    const t = this.transcript;
    return {
      id: this.id,
      title: t.title,
      model: t.model,
      workspace: t.workspace,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      status: t.status,
      lastSeq: this.lastSeq,
      messageCount: t.messageCount,
      activeRunId: t.activeRunId,
      ...(this.firstMessage !== undefined ? { firstMessage: this.firstMessage } : {}),
    };
  }

  /** True when nothing is being written and nobody holds the session: it may leave memory. */
  get idle(): boolean {
    return this.subscribers.size === 0 && this.transcript.activeRunId === null && this.owed.length === 0 && this.log.isIdle;
  }

  subscribe(s: Subscriber): void {
    this.subscribers.add(s);
  }

  unsubscribe(s: Subscriber): void {
    this.subscribers.delete(s);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Replays events with `seq > after` up to the current last seq, from the ring when it covers
   * them and from the log file otherwise. `send` returns false when the client's buffer is full;
   * the replay then waits for `drain`.
   */
  async replay(after: number, send: (f: EventFrame) => boolean, drain: () => Promise<void>): Promise<void> {
    const until = this.lastSeq;
    const ringStart = this.ring[0]?.seq ?? until + 1;
    let seq = after;
    if (after + 1 < ringStart) {
      for await (const line of readLogRange(this.file, after, Math.min(until, ringStart - 1))) {
        seq++;
        if (!send({ seq, frame: frameOfLine(JSON.parse(line) as AnyEnvelope, line) })) await drain();
      }
    }
    for (const e of this.ring) {
      if (e.seq <= seq || e.seq > until) continue;
      seq = e.seq;
      if (!send(e)) await drain();
    }
  }

  /** Waits for pending writes, then closes the log. */
  async close(): Promise<void> {
    if (this.owedTimer) clearTimeout(this.owedTimer);
    this.owedTimer = null;
    await this.log.close();
  }
}
