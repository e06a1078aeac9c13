/** The most one client may have buffered before it is cut off and told (by the close) to resume. */
export const DEFAULT_SUBSCRIBER_BYTE_CAP = 8 * 1024 * 1024;

/** A logged event as it goes on the wire: its seq and its encoded SSE frame (`encodeEventFrame`). */
export interface EventFrame {
  seq: number;
  frame: string;
}

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
  private held: EventFrame[] | null = [];
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
  sendReplay(f: EventFrame): boolean {
    if (this.closed || f.seq <= this.sentSeq) return !this.closed;
    this.sentSeq = f.seq;
    return this.write(f.frame);
  }

  /**
   * Called for every committed batch of the session, with frames the session encoded once for
   * all its subscribers. The batch goes out in one write: a write per event costs a syscall per
   * event per subscriber, which capped the relay.
   */
  deliver(frames: readonly EventFrame[]): void {
    if (this.closed) return;
    if (this.held) {
      for (const f of frames) {
        this.held.push(f);
        this.heldBytes += f.frame.length;
      }
      if (this.heldBytes > this.byteCap) this.cut();
      return;
    }
    this.writeNew(frames);
  }

  /** Ends the replay: releases held live events (in one write) and goes live. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    this.writeNew(held);
  }

  /** Writes the frames past the last seq sent, in one write. */
  private writeNew(frames: readonly EventFrame[]): void {
    let out = '';
    for (const f of frames) {
      if (f.seq <= this.sentSeq) continue;
      this.sentSeq = f.seq;
      out += f.frame;
    }
    if (out) this.write(out);
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
