import { RequestError } from '@agentclientprotocol/sdk';
import type { RunError } from '@hermes/protocol';
import { ApiError, DaemonUnavailableError } from '../client/errors.js';
import { InputTooLargeError } from '../commands/send/compose.js';
import { EmptyPromptError } from './prompt.js';

/**
 * hermes failures as JSON-RPC errors the editor can show: the message says what happened
 * (with the hint, since editors show only the message), `data` carries hermes' `{kind,
 * message, hint}` for clients that look.
 */
const INTERNAL = -32603;

function withHint(message: string, hint?: string): string {
  return hint ? `${message} (${hint})` : message;
}

export function runFailed(error: RunError | undefined, fallback: string): RequestError {
  const kind = error?.kind ?? 'error';
  const message = error?.message ?? fallback;
  return new RequestError(INTERNAL, withHint(`hermes: ${kind}: ${message}`, error?.hint), {
    kind,
    message,
    ...(error?.hint ? { hint: error.hint } : {}),
    ...(error ? { retryable: error.retryable } : {}),
  });
}

export function toRequestError(err: unknown, sessionId?: string): RequestError {
  if (err instanceof RequestError) return err;
  if (err instanceof DaemonUnavailableError) {
    return new RequestError(INTERNAL, withHint(`hermes: ${err.message}`, err.hint), {
      kind: 'daemon_unavailable',
      message: err.message,
      ...(err.hint ? { hint: err.hint } : {}),
    });
  }
  if (err instanceof ApiError) {
    if (err.status === 404 && sessionId) return RequestError.sessionNotFound(sessionId);
    const data = { kind: err.code, message: err.message, status: err.status };
    if (err.status === 400 || err.status === 413) return RequestError.invalidParams(data, `hermes: ${err.message}`);
    return new RequestError(INTERNAL, `hermes: ${err.message} (${err.status} ${err.code})`, data);
  }
  if (err instanceof InputTooLargeError || err instanceof EmptyPromptError) {
    return RequestError.invalidParams({ kind: 'invalid_prompt', message: err.message }, `hermes: ${err.message}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new RequestError(INTERNAL, `hermes: ${message}`, { kind: 'internal', message });
}
