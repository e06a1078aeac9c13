/**
 * The one wording of a duration, everywhere a person reads one: tool cards and the waiting
 * clock in the TUI, `hermes send`'s tool lines, `sessions show` and the markdown export.
 */

/** How long something took or has taken: `340ms`, `2.4s`, `1m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  // Rounded once, at the unit shown, so 59.96 s reads 1m00s, not 60.0s, and 119.7 s not 1m60s.
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  const m = Math.round(ms / 60_000);
  return `${Math.floor(m / 60)}h${pad(m % 60)}m`;
}

/** What is left of a wait, counting down (rounded up, so it never reads 0 before the end): `1.4 s`, `12 s`. */
export function countdown(ms: number): string {
  return ms < 10_000 ? `${(Math.ceil(ms / 100) / 10).toFixed(1)} s` : `${Math.ceil(ms / 1000)} s`;
}
