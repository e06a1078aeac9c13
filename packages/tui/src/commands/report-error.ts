import { ApiError, DaemonUnavailableError } from '../client/errors.js';
import { SessionNotFoundError } from './common.js';

/** Prints an error the way every command does, and returns its exit code (4: no daemon). */
export function reportError(err: unknown): number {
  if (err instanceof DaemonUnavailableError) {
    process.stderr.write(`hermes: ${err.message}\n${err.hint ? `  ${err.hint}\n` : ''}`);
    return 4;
  }
  if (err instanceof SessionNotFoundError) {
    process.stderr.write(`hermes: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ApiError) {
    process.stderr.write(`hermes: ${err.message} (${err.status} ${err.code})\n`);
    return 1;
  }
  process.stderr.write(`hermes: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
