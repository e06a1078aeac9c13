import { AttachedFrame, parseEvent, ResyncFrame, StorageErrorFrame, type AnyEnvelope, type HermesEvent } from '@hermes/protocol';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { openRequest, readBody } from './http.js';
import type { DaemonClient } from './api.js';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface SessionStreamHandlers {
  /** Every known event, in seq order, each once. */
  onEvent(event: HermesEvent): void;
  /** Events of types this client does not know: skipped, but the cursor moves past them. */
  onUnknown?(envelope: AnyEnvelope): void;
  onAttached?(frame: AttachedFrame): void;
  /** The daemon's log is not the one the cursor came from: drop local state, events restart from seq 1. */
  onResync?(frame: ResyncFrame): void;
  onStatus?(status: StreamStatus, detail?: string): void;
  /** The daemon could not write the end of a run to the session's log (disk full, I/O error). */
  onStorageError?(frame: StorageErrorFrame): void;
  /** The session does not exist (deleted): the stream has stopped for good. */
  onGone?(detail: string): void;
}

export interface SessionStreamOptions {
  /** Resume after this seq (0: from the start). */
  after?: number;
  /** Reconnect after this long without a byte (pings come every 15 s). */
  watchdogMs?: number;
  /** Called before each reconnect; may return a client for a restarted daemon (new port, new token). */
  reconnect?: () => Promise<DaemonClient>;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

/**
 * A session's event stream that never loses its place: it tracks the last seq it delivered,
 * reconnects with backoff (and jitter) when the connection drops or goes silent, and resumes
 * from that seq, so the caller sees every event exactly once.
 */
export class SessionEventStream {
  private lastSeq: number;
  private stopped = false;
  private abort: AbortController | null = null;
  private attempt = 0;
  private done: Promise<void>;

  constructor(
    private client: DaemonClient,
    readonly sessionId: string,
    private readonly handlers: SessionStreamHandlers,
    private readonly opts: SessionStreamOptions = {},
  ) {
    this.lastSeq = opts.after ?? 0;
    this.done = this.loop();
  }

  get cursor(): number {
    return this.lastSeq;
  }

  /** Resolves when `close()` has been called and the connection is gone. */
  get finished(): Promise<void> {
    return this.done;
  }

  close(): void {
    this.stopped = true;
    this.abort?.abort();
    this.handlers.onStatus?.('closed');
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let detail = 'connection closed';
      try {
        await this.connectOnce();
      } catch (err) {
        detail = (err as Error).message;
      }
      if (this.stopped) break;
      this.handlers.onStatus?.('reconnecting', detail);
      const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
      this.attempt++;
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * base));
      if (this.opts.reconnect && !this.stopped) {
        try {
          this.client = await this.opts.reconnect();
        } catch {
          // Still down; back off and try again.
        }
      }
    }
  }

  private async connectOnce(): Promise<void> {
    this.handlers.onStatus?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const abort = new AbortController();
    this.abort = abort;
    const watchdogMs = this.opts.watchdogMs ?? 45_000;
    let watchdog: NodeJS.Timeout | undefined;
    const feedWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(new Error('no data from the daemon for too long')), watchdogMs);
    };
    feedWatchdog();
    try {
      const res = await openRequest({
        port: this.client.state.port,
        method: 'GET',
        path: `/v1/sessions/${encodeURIComponent(this.sessionId)}/events`,
        headers: { ...this.client.headers, accept: 'text/event-stream', 'last-event-id': String(this.lastSeq) },
        signal: abort.signal,
      });
      if (res.statusCode !== 200) {
        const text = await readBody(res).catch(() => '');
        if (res.statusCode === 404 || res.statusCode === 400) {
          // The session is gone (deleted) or never existed: retrying cannot help.
          this.stopped = true;
          const detail = `the session ${this.sessionId} does not exist (any more)`;
          this.handlers.onGone?.(detail);
          this.handlers.onStatus?.('closed', detail);
          return;
        }
        throw new Error(`the daemon answered ${res.statusCode}: ${text.slice(0, 200)}`);
      }
      const parser = createParser({ onEvent: (m) => this.dispatch(m), onComment: feedWatchdog });
      const decoder = new TextDecoder();
      for await (const chunk of res as AsyncIterable<Buffer>) {
        feedWatchdog();
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  private dispatch(message: EventSourceMessage): void {
    if (message.event === 'attached') {
      this.attempt = 0;
      const frame = AttachedFrame.safeParse(JSON.parse(message.data));
      this.handlers.onStatus?.('live');
      if (frame.success) this.handlers.onAttached?.(frame.data);
      return;
    }
    if (message.event === 'resync') {
      this.lastSeq = 0;
      const frame = ResyncFrame.safeParse(JSON.parse(message.data));
      if (frame.success) this.handlers.onResync?.(frame.data);
      return;
    }
    if (message.event === 'storage_error') {
      const frame = StorageErrorFrame.safeParse(JSON.parse(message.data));
      if (frame.success) this.handlers.onStorageError?.(frame.data);
      return;
    }
    if (message.id === undefined) return;
    let json: unknown;
    try {
      json = JSON.parse(message.data);
    } catch {
      return;
    }
    const parsed = parseEvent(json);
    if (parsed.kind === 'invalid') return;
    const seq = parsed.kind === 'known' ? parsed.event.seq : parsed.envelope.seq;
    // Exactly once: anything at or below the cursor was delivered already.
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    if (parsed.kind === 'known') this.handlers.onEvent(parsed.event);
    else this.handlers.onUnknown?.(parsed.envelope);
  }
}
