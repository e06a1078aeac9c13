import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputTooLargeError, MAX_SEND_BYTES, tooLarge } from './compose.js';

export interface ReadOptions {
  /** Give up when no byte arrived within this long (an open pipe nobody writes to); none waits for EOF. */
  firstByteTimeoutMs?: number;
  /** Fail once more than this many bytes arrived, without reading the rest. */
  capBytes?: number;
}

/**
 * Reads a stream to its end, as UTF-8. Returns null when the first byte did not come in
 * time: the caller goes on without stdin (the opencode `run` hang on an open pipe).
 */
export function readStream(stream: Readable, opts: ReadOptions = {}): Promise<string | null> {
  const cap = opts.capBytes ?? MAX_SEND_BYTES;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: Error | null, value: string | null) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      clearTimeout(timer);
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > cap) {
        stream.destroy();
        finish(new InputTooLargeError(tooLarge(size)), null);
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks).toString('utf8'));
    const onError = (err: Error) => finish(err, null);
    if (opts.firstByteTimeoutMs !== undefined) {
      timer = setTimeout(() => {
        // Nothing came: let go of the pipe so it cannot keep the process alive.
        stream.pause();
        stream.destroy();
        finish(null, null);
      }, opts.firstByteTimeoutMs);
    }
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

export type StdinKind = 'tty' | 'pipe' | 'file' | 'none';

/** What fd 0 is: a terminal is never read, a file is read whole, a pipe maybe with a timeout. */
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

/** How long `send TEXT` waits for a first byte on a pipe before going on without it. */
export const PIPE_GRACE_MS = 150;

/**
 * Reads stdin for `hermes send`: never a terminal; a file whole; a pipe to EOF, but when text
 * was given as arguments only if data starts flowing within PIPE_GRACE_MS.
 */
export async function readStdin(haveText: boolean): Promise<string | null> {
  const kind = stdinKind();
  if (kind === 'tty' || kind === 'none') return null;
  const opts: ReadOptions = kind === 'pipe' && haveText ? { firstByteTimeoutMs: PIPE_GRACE_MS } : {};
  const text = await readStream(process.stdin, opts);
  return text;
}
