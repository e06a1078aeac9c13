/** One dispatched SSE event. */
export interface SseEvent {
  /** The `event:` field; `message` when absent. */
  event: string;
  /** `data:` lines joined with `\n`. */
  data: string;
  /**
   * A non-standard field named `error`: llama.cpp reports failures that way, and a spec-only
   * parser would see a clean empty stream.
   */
  error?: string;
}

/**
 * An incremental SSE decoder: bytes in, whole events out. Reads may split anywhere, inside a
 * UTF-8 sequence or between the `\r` and `\n` of one line end, and give the same events.
 */
export class SseDecoder {
  private readonly decoder = new TextDecoder('utf-8'); // strips a leading BOM by default
  private buf = '';
  /** The previous chunk ended in `\r`: a `\n` opening the next one belongs to that line end. */
  private skipLf = false;
  private eventName = '';
  private dataLines: string[] = [];
  private errorLines: string[] = [];
  private started = false;

  push(chunk: Uint8Array): SseEvent[] {
    return this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the decoder. An event without its blank line is discarded: it was cut, not completed. */
  end(): { events: SseEvent[]; unterminated: boolean } {
    const events = this.pushText(this.decoder.decode());
    const unterminated = this.buf !== '' || this.started;
    this.buf = '';
    this.reset();
    return { events, unterminated };
  }

  private pushText(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let s = text;
    if (this.skipLf && s.startsWith('\n')) s = s.slice(1);
    if (s !== '') this.skipLf = false;
    this.buf += s;
    let start = 0;
    for (let i = 0; i < this.buf.length; i++) {
      const c = this.buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(this.buf.slice(start, i), out);
      if (c === 13) {
        if (i + 1 < this.buf.length) {
          if (this.buf.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLf = true;
        }
      }
      start = i + 1;
    }
    this.buf = this.buf.slice(start);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.dataLines.length > 0 || this.errorLines.length > 0) {
        const ev: SseEvent = { event: this.eventName || 'message', data: this.dataLines.join('\n') };
        if (this.errorLines.length > 0) ev.error = this.errorLines.join('\n');
        out.push(ev);
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return; // comment: keep-alive, `: OPENROUTER PROCESSING`
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1); // exactly one space, never more
    this.started = true;
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'error') this.errorLines.push(value);
  }

  private reset(): void {
    this.eventName = '';
    this.dataLines = [];
    this.errorLines = [];
    this.started = false;
  }
}
