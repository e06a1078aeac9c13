import type { RunError, StopReason } from '@hermes/protocol';

const STOP_TEXT: Record<StopReason, string> = {
  done: 'done',
  cancelled: 'cancelled',
  error: 'failed',
  interrupted: 'interrupted',
  max_iterations: 'stopped: too many steps (agent.maxIterations)',
};

/**
 * How a run's end reads, the same in the TUI and `sessions show`: `run failed: rate_limit: …`.
 * The error's kind is left out where it only repeats the stop reason ("run interrupted:
 * interrupted: the daemon stopped…" said it twice).
 */
export function runEndText(stopReason: StopReason, error?: RunError): string {
  const head = `run ${STOP_TEXT[stopReason]}`;
  if (!error) return head;
  const kind = error.kind === stopReason || error.kind === 'interrupted' ? '' : `${error.kind}: `;
  return `${head}: ${kind}${error.message}`;
}
