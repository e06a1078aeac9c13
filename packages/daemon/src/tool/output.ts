/**
 * Output handling for processes that may print anything: bytes → printable text, bounded
 * capture (head + tail), and coalesced streaming.
 */

/** Turns a stream of bytes into printable text: invalid UTF-8 → U+FFFD, ANSI and control codes removed. */
export class PrintableDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** An escape sequence cut at a chunk boundary, kept for the next chunk. */
  private carry = '';

  write(chunk: Uint8Array): string {
    return this.clean(this.carry + this.decoder.decode(chunk, { stream: true }), false);
  }

  end(): string {
    return this.clean(this.carry + this.decoder.decode(), true);
  }

  private clean(text: string, final: boolean): string {
    this.carry = '';
    if (!final) {
      const esc = text.lastIndexOf('\x1b');
      if (
        esc !== -1 &&
        esc > text.length - 64 &&
        !/^\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/.test(text.slice(esc))
      ) {
        this.carry = text.slice(esc);
        text = text.slice(0, esc);
      }
    }
    return sanitizeText(text);
  }
}

/** Removes ANSI sequences and control characters (keeps tab and newline; `\r` becomes a newline). */
export function sanitizeText(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '\n')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '\uFFFD');
}

/**
 * Keeps the first `headLimit` and the last `tailLimit` characters of everything written, and
 * counts the rest: memory stays bounded however much a command prints.
 */
export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private totalBytes = 0;

  constructor(
    private readonly headLimit: number,
    private readonly tailLimit: number,
  ) {}

  write(text: string): void {
    if (!text) return;
    this.totalBytes += Buffer.byteLength(text);
    if (this.head.length < this.headLimit) {
      const room = this.headLimit - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    // Trim lazily (at 2× the limit) so the cost per write stays amortised O(chunk).
    if (this.tail.length > this.tailLimit * 2) this.tail = this.tail.slice(-this.tailLimit);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  toString(): string {
    const tail = this.tail.length > this.tailLimit ? this.tail.slice(-this.tailLimit) : this.tail;
    const cut = this.totalBytes - Buffer.byteLength(this.head) - Buffer.byteLength(tail);
    if (cut <= 0) return this.head + tail;
    return `${this.head}\n[… ${cut} bytes cut …]\n${tail}`;
  }
}

/**
 * Batches streamed text: flushes when `maxChars` are pending or `delayMs` after the first
 * pending piece, so listeners get a few calls per second rather than one per chunk.
 */
export class Coalescer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (text: string) => void,
    private readonly delayMs = 50,
    private readonly maxChars = 4096,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    if (this.pending.length >= this.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.emit(text);
  }
}
