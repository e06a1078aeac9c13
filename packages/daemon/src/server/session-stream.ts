import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeTransportFrame, SSE_PING_FRAME, SSE_PING_INTERVAL_MS, type AttachedFrame } from '@hermes/protocol';
import type { Session } from '../session/session.js';
import { Subscriber } from '../session/subscriber.js';
import { drained, HttpError } from './respond.js';

export interface StreamOptions {
  byteCap?: number;
  pingIntervalMs?: number;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** The resume cursor: `Last-Event-ID` wins over `?after=`; absent means from the start. */
export function cursorOf(req: IncomingMessage, url: URL): number {
  const raw = req.headers['last-event-id'] ?? url.searchParams.get('after') ?? '0';
  const value = Array.isArray(raw) ? raw[0]! : raw;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new HttpError(400, 'bad_request', 'the cursor (Last-Event-ID or ?after=) must be a non-negative integer');
  }
  return Number(value.trim());
}

/** Starts keepalive pings and cleans up on close; returns the response as a frame sink. */
function openStream(res: ServerResponse, pingIntervalMs: number, onClose: () => void) {
  res.writeHead(200, SSE_HEADERS);
  res.write('retry: 2000\n\n');
  const ping = setInterval(() => res.write(SSE_PING_FRAME), pingIntervalMs);
  res.on('close', () => {
    clearInterval(ping);
    onClose();
  });
  return {
    write: (frame: string) => res.write(frame),
    get buffered() {
      return res.writableLength;
    },
    destroy: () => res.destroy(),
  };
}

/**
 * `GET /v1/sessions/:id/events`: `attached`, the replay after the cursor, then live events.
 * The subscriber is registered before the replay is read, so nothing committed in between is
 * missed; it holds those back and drops what the replay already sent.
 */
export async function streamSession(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  session: Session,
  opts: StreamOptions = {},
): Promise<void> {
  let after = cursorOf(req, url);
  let subscriber: Subscriber | null = null;
  const sink = openStream(res, opts.pingIntervalMs ?? SSE_PING_INTERVAL_MS, () => {
    if (subscriber) {
      subscriber.closed = true;
      session.unsubscribe(subscriber);
    }
  });
  if (after > session.lastSeq) {
    // A cursor from the future belongs to another log (a deleted and recreated id): start over.
    sink.write(encodeTransportFrame('resync', { reason: 'cursor_ahead', lastSeq: session.lastSeq }));
    after = 0;
  }
  subscriber = new Subscriber(sink, after, opts.byteCap);
  session.subscribe(subscriber);
  const t = session.transcript;
  const attached: AttachedFrame = {
    lastSeq: session.lastSeq,
    activeRunId: t.activeRunId,
    pendingApprovalIds: t.pendingApprovals.map((p) => p.approvalId),
    pendingClarifyIds: (t.pendingClarifications ?? []).map((p) => p.clarifyId),
  };
  subscriber.write(encodeTransportFrame('attached', attached));
  const sub = subscriber;
  const drain = () => (sub.closed || res.destroyed ? Promise.resolve() : drained(res));
  try {
    await session.replay(after, (f) => (sub.closed ? true : sub.sendReplay(f)), drain);
  } catch {
    res.destroy();
    return;
  }
  sub.goLive();
}

/** `GET /v1/events`: session list changes, live only (clients GET /v1/sessions for the state). */
export function streamList(
  res: ServerResponse,
  subscribe: (send: (type: string, data: unknown) => void) => () => void,
  opts: StreamOptions = {},
): void {
  const cap = opts.byteCap ?? 1024 * 1024;
  let unsubscribe: () => void = () => {};
  const sink = openStream(res, opts.pingIntervalMs ?? SSE_PING_INTERVAL_MS, () => unsubscribe());
  unsubscribe = subscribe((type, data) => {
    sink.write(encodeTransportFrame(type, data));
    if (sink.buffered > cap) sink.destroy();
  });
}
