import type { AnyEnvelope } from './events.js';

/**
 * One SSE frame of a logged event: `id`, `event`, one `data` line, blank line. `json` is the
 * envelope's JSON when the caller has it already (the log line), so an event is encoded once.
 */
export function encodeEventFrame(envelope: Pick<AnyEnvelope, 'seq' | 'type'>, json: string = JSON.stringify(envelope)): string {
  return `id: ${envelope.seq}\nevent: ${envelope.type}\ndata: ${json}\n\n`;
}

/** A transport-only frame: no `id`, so it never moves the client's cursor. */
export function encodeTransportFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_PING_FRAME = ': ping\n\n';
export const SSE_PING_INTERVAL_MS = 15_000;
