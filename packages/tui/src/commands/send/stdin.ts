import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputTooLargeError, MAX_SEND_BYTES, tooLarge } from './compose.js';

export interface ReadOptions {
  /** Fail once more than this many bytes arrived, without reading the rest. */
  capBytes?: number;
  /** Called once when the stream has not ended after `slowMs` (to say what we wait for). */
  onSlow?: () => void;
  slowMs?: number;
}

/** Reads a stream to its end, as UTF-8 (at most `capBytes`). */
export function readStream(stream: Readable, opts: ReadOptions = {}): Promise<string> {
  const cap = opts.capBytes ?? MAX_SEND_BYTES;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const slow = opts.onSlow ? setTimeout(opts.onSlow, opts.slowMs ?? STDIN_NOTE_MS) : undefined;
    slow?.unref();
    const finish = (err: Error | null, value: string) => {
      clearTimeout(slow);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > cap) {
        stream.destroy();
        finish(new InputTooLargeError(tooLarge(size)), '');
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks).toString('utf8'));
    const onError = (err: Error) => finish(err, '');
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

export type StdinKind = 'tty' | 'pipe' | 'file' | 'none';

/** What fd 0 is: a terminal is never read; a file or a pipe is read to its end. */
export function stdinKind(): StdinKind {
  if (process.stdin.isTTY) return 'tty';
  try {
    const st = fstatSync(0);
    if (st.isFile()) return 'file';
    if (st.isFIFO() || st.isSocket()) return 'pipe';
    return 'none';
  } catch {
    return 'none';
  }
}

/** After this long without the end of piped stdin, `send` says that it is waiting for it. */
export const STDIN_NOTE_MS = 3000;

/**
 * Reads stdin for `hermes send`: never a terminal; a file or a pipe to its end, however slow
 * the producer (`npm test 2>&1 | hermes send "fix this"`). A pipe that has not ended after a
 * few seconds gets a note on stderr, so an open pipe nobody writes to (ssh, a spawner's
 * default stdio) is not a silent hang: `--no-stdin` skips it.
 */
export async function readStdin(onSlow?: () => void): Promise<string | null> {
  const kind = stdinKind();
  if (kind === 'tty' || kind === 'none') return null;
  return readStream(process.stdin, kind === 'pipe' && onSlow ? { onSlow } : {});
}
