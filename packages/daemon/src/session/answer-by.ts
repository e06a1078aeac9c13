/** Names only the daemon answers as (timeouts, cancels, restarts, steers, a run's end). */
const DAEMON_NAMES = new Set(['timeout', 'cancel', 'restart', 'shutdown', 'steer', 'run ended']);

/**
 * Who answered, as the log records it: the client's claim (`tui`, `send`...), except that a
 * client cannot pose as the daemon: claiming one of its names is recorded as `client (name)`.
 */
export function answeredBy(claim: string | undefined): string {
  const by = claim ?? 'client';
  return DAEMON_NAMES.has(by) ? `client (${by})` : by;
}
