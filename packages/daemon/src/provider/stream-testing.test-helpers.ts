// Shared by the stream decoders' tests (excluded from the build like the tests themselves).
import { ProviderError } from './errors.js';
import type { StreamEvent } from './types.js';

export const enc = (s: string) => new TextEncoder().encode(s);

/** Cuts `bytes` at the given offsets (taken modulo its length, deduplicated): a random chunking. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.slice(prev, p));
    prev = p;
  }
  out.push(bytes.slice(prev));
  return out;
}

export interface DecodeResult {
  events: StreamEvent[];
  error?: { kind: string; message: string; retryable: boolean };
}

/**
 * Feeds `parts` to a decoder and collects what it yields; a ProviderError ends the stream as
 * `error`, with the events before it kept. `newId` numbers synthetic ids from 1.
 */
export async function decodeAll(
  parts: Uint8Array[],
  decode: (src: AsyncIterable<Uint8Array>, newId: () => string) => AsyncIterable<StreamEvent>,
): Promise<DecodeResult> {
  let n = 0;
  async function* src() {
    for (const p of parts) yield p;
  }
  const events: StreamEvent[] = [];
  try {
    for await (const ev of decode(src(), () => `syn_${++n}`)) events.push(ev);
    return { events };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    return { events, error: { kind: err.kind, message: err.message, retryable: err.retryable } };
  }
}
