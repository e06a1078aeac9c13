import type { EventType } from '@hermes/protocol';

/** The streamed-text events a batch becomes. */
export type DeltaType = Extract<EventType, 'message.delta' | 'reasoning.delta'>;

/** Default window for `agent.streamIntervalMs`: about one frame at 60 Hz. */
export const DEFAULT_STREAM_INTERVAL_MS = 16;
/** A batch this large goes out at once, whatever the window: bounds one event's size. */
const MAX_BATCH_CHARS = 32 * 1024;

/**
 * Coalesces a model's text deltas into at most one event per window. A provider at full speed
 * sends thousands of tiny chunks a second; as one event each they cost a log line, an SSE frame
 * per subscriber and a render per client, though no screen shows more than ~60 frames a second.
 *
 * The first delta after a quiet spell goes out at once (the first token is never delayed); later
 * ones wait until the window since the last send has passed. A change of type (text after
 * reasoning) sends what is held first, so the order of the stream is kept. `flush` sends the
 * rest: the caller calls it when the stream ends, however it ends.
 */
export class DeltaBatcher {
  private type: DeltaType | null = null;
  private text = '';
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (type: DeltaType, text: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(type: DeltaType, text: string): void {
    if (text === '') return;
    if (this.type !== null && this.type !== type) this.flush();
    this.type = type;
    this.text += text;
    const waited = this.now() - this.lastSentAt;
    if (waited >= this.intervalMs || this.text.length >= MAX_BATCH_CHARS) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), this.intervalMs - waited);
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.type === null || this.text === '') return;
    const { type, text } = this;
    this.type = null;
    this.text = '';
    this.lastSentAt = this.now();
    this.send(type, text);
  }
}
