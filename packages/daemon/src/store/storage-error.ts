import type { RunError } from '@hermes/protocol';

/** Errno codes that mean "the disk would not take the write", as opposed to a bug. */
const STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EFBIG', 'ENXIO', 'EBADF', 'ENOENT']);

const WORDING: Record<string, { message: string; hint: string }> = {
  ENOSPC: {
    message: 'The disk holding HERMES_HOME is full: the session log could not be written.',
    hint: 'Free some space on that disk (or move HERMES_HOME), then send the message again.',
  },
  EDQUOT: {
    message: 'The disk quota for HERMES_HOME is used up: the session log could not be written.',
    hint: 'Free some space within your quota, then send the message again.',
  },
  EIO: {
    message: 'An I/O error while writing the session log: the disk or filesystem holding HERMES_HOME is failing.',
    hint: 'Check the disk (for example `dmesg`), then send the message again.',
  },
  EROFS: {
    message: 'HERMES_HOME is on a read-only filesystem: the session log could not be written.',
    hint: 'Remount it read-write or point HERMES_HOME at a writable place.',
  },
  EACCES: {
    message: 'Permission denied writing the session log under HERMES_HOME.',
    hint: 'Check the owner and mode of HERMES_HOME/sessions (the daemon needs to write there).',
  },
  EFBIG: {
    message: 'The session log is larger than the filesystem allows.',
    hint: 'Start a new session.',
  },
};

/** A write to HERMES_HOME that failed: the change is not durable. Carries what to tell the user. */
export class StorageError extends Error {
  readonly hint: string;
  constructor(
    readonly code: string,
    readonly file: string,
    cause?: unknown,
  ) {
    const w = WORDING[code] ??
      WORDING[code === 'EPERM' ? 'EACCES' : ''] ?? {
        message: `The session log could not be written (${code}).`,
        hint: 'Check the disk holding HERMES_HOME, then send the message again.',
      };
    super(w.message, cause !== undefined ? { cause } : undefined);
    this.name = 'StorageError';
    this.hint = w.hint;
  }

  toRunError(): RunError {
    return { kind: 'storage', message: this.message, hint: this.hint, retryable: true };
  }
}

/** Wraps a failed file operation: errno failures become StorageError, anything else stays as it is. */
export function asStorageError(err: unknown, file: string): StorageError | null {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && (STORAGE_CODES.has(code) || /^E[A-Z]+$/.test(code))) return new StorageError(code, file, err);
  return null;
}

export function isStorageError(err: unknown): err is StorageError {
  return err instanceof StorageError;
}
