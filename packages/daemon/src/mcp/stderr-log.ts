import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';

/** Rotate the log past this size; one old file is kept (`.1`). */
const MAX_LOG_BYTES = 1024 * 1024;
/** A server that floods stderr faster than the disk takes it loses lines, not daemon memory. */
const MAX_BACKLOG_BYTES = 256 * 1024;
const TAIL_BYTES = 2048;

/**
 * A server's stderr: to `HERMES_HOME/logs/mcp-<name>.log` (bounded, rotated), never to the
 * daemon's own output; the last lines are kept for the error shown when the server fails.
 */
export class StderrLog {
  private stream: WriteStream | null = null;
  private written = 0;
  private rotating = false;
  private tailText = '';

  constructor(private readonly file: string) {}

  write(chunk: Buffer): void {
    this.tailText = (this.tailText + chunk.toString('utf8')).slice(-TAIL_BYTES);
    if (this.rotating) return;
    this.stream ??= this.open();
    if (this.stream.writableLength > MAX_BACKLOG_BYTES) return;
    this.stream.write(chunk);
    this.written += chunk.length;
    if (this.written > MAX_LOG_BYTES) void this.rotate();
  }

  /** The last few lines, for an error message. */
  tail(lines = 5): string {
    return this.tailText.trim().split('\n').slice(-lines).join('\n');
  }

  close(): void {
    this.stream?.end();
    this.stream = null;
  }

  private open(): WriteStream {
    const s = createWriteStream(this.file, { flags: 'a', mode: 0o600 });
    s.on('error', () => {
      // A log that cannot be written must not take the daemon down.
    });
    void stat(this.file).then(
      (st) => (this.written += st.size),
      () => {},
    );
    return s;
  }

  private async rotate(): Promise<void> {
    this.rotating = true;
    const old = this.stream;
    this.stream = null;
    await new Promise<void>((resolve) => (old ? old.end(resolve) : resolve()));
    await rename(this.file, `${this.file}.1`).catch(() => {});
    this.written = 0;
    this.rotating = false;
  }
}
