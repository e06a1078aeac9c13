import type { AnyEnvelope } from './events.js';

/** One SSE frame of a logged event: `id`, `event`, one `data` line, blank line. */
export function encodeEventFrame(envelope: AnyEnvelope): string {
  return `id: ${envelope.seq}\nevent: ${envelope.type}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

/** A transport-only frame: no `id`, so it never moves the client's cursor. */
export function encodeTransportFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_PING_FRAME = ': ping\n\n';
export const SSE_PING_INTERVAL_MS = 15_000;
