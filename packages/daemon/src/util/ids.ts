import { randomBytes } from 'node:crypto';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYYMMDD_HHMMSS_<6 hex>` in UTC: sorts by creation time. */
export function newSessionId(now = new Date()): string {
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}_${time}_${randomBytes(3).toString('hex')}`;
}

/** A short random id with a readable prefix: `msg_…`, `run_…`, `apr_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
