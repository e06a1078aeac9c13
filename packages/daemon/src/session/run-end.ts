import type { EventDataOf, RunError, StopReason } from '@hermes/protocol';
import type { Logger } from '../util/log.js';
import type { RunOutcome } from '../agent/types.js';

/**
 * How a run ended, as `run.completed` says it: a storage failure (unless the run was stopped
 * first) makes it an error of kind storage; a cancel or shutdown wins over what the agent
 * returned; the agent's error is kept only when its own stop reason stands.
 */
export function runEndData(
  outcome: RunOutcome,
  stoppedAs: 'cancelled' | 'interrupted' | null,
  storageFailure: { toRunError(): RunError } | null,
): EventDataOf<'run.completed'> {
  const failed = storageFailure && !stoppedAs ? storageFailure : null;
  const stopReason: StopReason = failed ? 'error' : (stoppedAs ?? outcome.stopReason);
  return {
    stopReason,
    usage: outcome.usage,
    ...(failed ? { error: failed.toRunError() } : {}),
    ...(!failed && outcome.error && stopReason === outcome.stopReason ? { error: outcome.error } : {}),
    ...(stopReason === 'interrupted'
      ? { error: { kind: 'interrupted', message: 'The daemon stopped while this run was in progress.', retryable: true } }
      : {}),
  };
}

/** The daemon log's level for a run's end: errors as errors, the expected ends as info, the rest as warnings. */
export function runEndLevel(stopReason: StopReason): Parameters<Logger>[0] {
  return stopReason === 'error' ? 'error' : stopReason === 'done' || stopReason === 'cancelled' ? 'info' : 'warn';
}
