import { request, type Dispatcher } from 'undici';
import { AbortedError, ProviderError, classifyError, networkError, simpleError, type ErrorContext } from './errors.js';
import type { StreamTimeouts } from './types.js';

export interface PostStreamInput {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
  timeouts: StreamTimeouts;
  ctx: ErrorContext;
  dispatcher?: Dispatcher;
}

/** Error bodies are read for classification only; a runaway one is cut here. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * POSTs JSON and yields the response body's chunks, with a watchdog: no first byte within
 * `firstByteMs`, or no byte for `idleMs` after that, is a `timeout`. undici's own timeouts are
 * off (`bodyTimeout: 0`) because they do not distinguish the two. Non-2xx answers are read
 * and thrown as classified `ProviderError`s. Stopping the iteration early (break, return,
 * abort) destroys the body, which closes the socket.
 */
export async function* postStream(input: PostStreamInput): AsyncGenerator<Uint8Array, void, undefined> {
  const { signal, timeouts, ctx } = input;
  if (signal.aborted) throw new AbortedError();
  const ac = new AbortController();
  let timedOut: 'first byte' | 'idle' | null = null;
  let timer: NodeJS.Timeout | undefined;
  const arm = (phase: 'first byte' | 'idle', ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = phase;
      ac.abort();
    }, ms);
  };
  const onAbort = () => ac.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  arm('first byte', timeouts.firstByteMs);

  const fail = (err: unknown, midBody: boolean): Error => {
    if (signal.aborted) return new AbortedError();
    if (timedOut) {
      const ms = timedOut === 'first byte' ? timeouts.firstByteMs : timeouts.idleMs;
      return simpleError('timeout', `${ctx.provider} sent nothing for ${(ms / 1000).toFixed(1)} s (${timedOut} timeout)`, ctx);
    }
    if (err instanceof ProviderError) return err;
    if (midBody) return simpleError('truncated_stream', `the connection to ${ctx.provider} broke mid-reply`, ctx);
    return networkError(err, ctx);
  };

  let res: Dispatcher.ResponseData;
  try {
    res = await request(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...input.headers },
      body: JSON.stringify(input.body),
      signal: ac.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
      ...(input.dispatcher ? { dispatcher: input.dispatcher } : {}),
    });
  } catch (err) {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    throw fail(err, false);
  }

  let first = true;
  try {
    if (res.statusCode < 200 || res.statusCode > 299) {
      let text = '';
      try {
        for await (const chunk of res.body) {
          arm('idle', timeouts.idleMs);
          text += Buffer.from(chunk as Uint8Array).toString('utf8');
          if (text.length > MAX_ERROR_BODY) break;
        }
      } catch (err) {
        if (signal.aborted || timedOut) throw err;
        // A body that breaks while being read still has a status worth classifying.
      }
      throw classifyError({ status: res.statusCode, headers: res.headers, body: text }, ctx);
    }
    // A 200 that is a web page (captive portal, proxy login) or a non-streamed JSON reply would
    // otherwise read as a stream that "ended early": say what it really is.
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type === 'text/html' || type === 'application/json') {
      let text = '';
      for await (const chunk of res.body) {
        text += Buffer.from(chunk as Uint8Array).toString('utf8');
        if (text.length > 200) break;
      }
      throw simpleError(
        'invalid_response',
        `${ctx.provider} answered ${type}, not an event stream: ${text.replace(/\s+/g, ' ').slice(0, 120)}`,
        ctx,
        false,
      );
    }
    for await (const chunk of res.body) {
      // The clock stops while the consumer works on a chunk: a slow consumer is not an idle server.
      if (timer) clearTimeout(timer);
      first = false;
      yield chunk as Uint8Array;
      arm('idle', timeouts.idleMs);
    }
  } catch (err) {
    throw fail(err, !first);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    if (!res.body.destroyed) res.body.destroy();
  }
}
