import { Readable } from 'node:stream';
import { ndJsonStream, type AnyMessage, type Stream } from '@agentclientprotocol/sdk';
import type { AcpLog } from './log.js';

type WriteFn = (...args: unknown[]) => boolean;

/**
 * Makes stdout the protocol's alone: from here on `process.stdout.write` and `console.log`
 * (from us, a library, a warning) land on stderr, and only the returned writer reaches the
 * real stdout. One stray byte there and the editor drops the connection (zed#58568).
 */
export function claimStdout(): (chunk: Uint8Array) => Promise<void> {
  const stdout = process.stdout;
  const real = stdout.write.bind(stdout) as WriteFn;
  const toStderr = process.stderr.write.bind(process.stderr) as WriteFn;
  (stdout as unknown as { write: WriteFn }).write = (...args: unknown[]) => toStderr(...args);
  const err = console.error.bind(console);
  console.log = err;
  console.info = err;
  console.debug = err;
  console.warn = err;
  // An editor that went away: EPIPE must end the connection, not crash the process.
  stdout.on('error', () => {});
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      real(chunk, (e?: Error | null) => (e ? reject(e) : resolve()));
    });
}

/** The ACP stream over stdin and the claimed stdout; with tracing, every message is logged. */
export function stdioStream(write: (chunk: Uint8Array) => Promise<void>, log: AcpLog): Stream {
  const output = new WritableStream<Uint8Array>({ write: (chunk) => write(chunk) });
  const input = Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>;
  const base = ndJsonStream(output, input);
  if (!log.tracing) return base;
  const outgoing = new TransformStream<AnyMessage, AnyMessage>({
    transform(m, c) {
      log.trace('out', m);
      c.enqueue(m);
    },
  });
  outgoing.readable.pipeTo(base.writable).catch(() => {});
  const readable = base.readable.pipeThrough(
    new TransformStream<AnyMessage, AnyMessage>({
      transform(m, c) {
        log.trace('in', m);
        c.enqueue(m);
      },
    }),
  );
  return { readable, writable: outgoing.writable };
}
