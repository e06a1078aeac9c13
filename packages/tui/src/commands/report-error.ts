import { ApiError, DaemonUnavailableError } from '../client/errors.js';
import { SessionNotFoundError, UsageError } from './common.js';

/** Prints an error the way every command does, and returns its exit code (2: usage, 4: no daemon). */
export function reportError(err: unknown): number {
  if (err instanceof DaemonUnavailableError) {
    process.stderr.write(`hermes: ${err.message}\n${err.hint ? `  ${err.hint}\n` : ''}`);
    return 4;
  }
  if (err instanceof SessionNotFoundError || err instanceof UsageError) {
    process.stderr.write(`hermes: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ApiError) {
    // 400: the daemon refused what the user asked for (an unknown provider, say): a usage error.
    if (err.status === 400) {
      process.stderr.write(`hermes: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`hermes: ${err.message} (${err.status} ${err.code})\n`);
    return 1;
  }
  process.stderr.write(`hermes: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
