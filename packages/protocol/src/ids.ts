import * as z from 'zod';

/** `YYYYMMDD_HHMMSS_<6 hex>`: sortable by creation time, and safe to use as a file name. */
export const SESSION_ID_PATTERN = /^\d{8}_\d{6}_[0-9a-f]{6}$/;

export const SessionId = z.string().regex(SESSION_ID_PATTERN, 'session id must look like YYYYMMDD_HHMMSS_abcdef');
export type SessionId = z.infer<typeof SessionId>;

export function isSessionId(value: string): boolean {
  return SESSION_ID_PATTERN.test(value);
}

/** Opaque ids of messages, runs, tool calls and approvals: short, URL-safe. */
export const OpaqueId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids are [A-Za-z0-9_.:-]');
