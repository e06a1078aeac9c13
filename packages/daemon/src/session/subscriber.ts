import type { AnyEnvelope } from '@hermes/protocol';
import { encodeEventFrame } from '@hermes/protocol';

/** The most one client may have buffered before it is cut off and told (by the close) to resume. */
export const DEFAULT_SUBSCRIBER_BYTE_CAP = 8 * 1024 * 1024;
/** Held events are counted at a typical size rather than re-encoded just to be measured. */
const APPROX_EVENT_BYTES = 256;

/** Where a subscriber's frames go: an HTTP response, in practice. */
export interface FrameSink {
  /** Writes a frame; returns false when the sink's buffer is full (as `res.write` does). */
  write(frame: string): boolean;
  /** Bytes written but not yet flushed to the socket. */
  readonly buffered: number;
  /** Ends the connection abruptly: the client will reconnect and resume from its last seq. */
  destroy(): void;
}

/**
 * One live reader of a session's events. While it catches up from the log, live events are
 * held back (bounded by the byte cap) and released in order after the replay, with every seq
 * it already sent dropped: replay and live join without gap or duplicate.
 */
export class Subscriber {
  private held: AnyEnvelope[] | null = [];
  private heldBytes = 0;
  private sentSeq: number;
  closed = false;

  constructor(
    private readonly sink: FrameSink,
    after: number,
    private readonly byteCap = DEFAULT_SUBSCRIBER_BYTE_CAP,
  ) {
    this.sentSeq = after;
  }

  get lastSentSeq(): number {
    return this.sentSeq;
  }

  /** Sends a replayed event. */
  sendReplay(e: AnyEnvelope): boolean {
    if (this.closed || e.seq <= this.sentSeq) return !this.closed;
    this.sentSeq = e.seq;
    return this.write(encodeEventFrame(e));
  }

  /**
   * Called for every committed batch of the session. `frames[i]` is `encodeEventFrame(events[i])`,
   * encoded once by the session for all its subscribers. The batch goes out in one write: a
   * write per event costs a syscall per event per subscriber, which capped the relay.
   */
  deliver(events: AnyEnvelope[], frames?: string[]): void {
    if (this.closed) return;
    if (this.held) {
      for (const e of events) {
        this.held.push(e);
        this.heldBytes += APPROX_EVENT_BYTES;
      }
      if (this.heldBytes > this.byteCap) this.cut();
      return;
    }
    let out = '';
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.seq <= this.sentSeq) continue;
      this.sentSeq = e.seq;
      out += frames?.[i] ?? encodeEventFrame(e);
    }
    if (out) this.write(out);
  }

  /** Ends the replay: releases held live events and goes live. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    for (const e of held) if (e.seq > this.sentSeq) this.sendLive(e);
  }

  private sendLive(e: AnyEnvelope): void {
    this.sentSeq = e.seq;
    this.write(encodeEventFrame(e));
  }

  /** Writes a transport frame (ping, attached, resync). */
  write(frame: string): boolean {
    if (this.closed) return false;
    const ok = this.sink.write(frame);
    if (this.sink.buffered > this.byteCap) {
      this.cut();
      return false;
    }
    return ok;
  }

  /** Too slow: drop the connection rather than buffer without bound. The client resumes from the log. */
  private cut(): void {
    this.closed = true;
    this.held = null;
    this.sink.destroy();
  }
}
