import type { PromptResponse, RequestError } from '@agentclientprotocol/sdk';
import type { RunOutcome } from '../commands/send/follow.js';
import { runEndText } from '../format/run-end.js';
import { runFailed } from './errors.js';

/**
 * How a prompt's run ends in ACP: a stop reason, or a JSON-RPC error for a failed run.
 * A cancel from the editor always answers `cancelled`, even if the run then ends otherwise
 * (ACP requires it: the client discards what follows).
 */
export function turnEnd(outcome: RunOutcome, cancelledByEditor: boolean): PromptResponse | RequestError {
  if (cancelledByEditor) return { stopReason: 'cancelled' };
  switch (outcome.stopReason) {
    case 'done':
      return { stopReason: 'end_turn' };
    case 'cancelled':
    case 'interrupted':
      return { stopReason: 'cancelled' };
    case 'max_iterations':
      return { stopReason: 'max_turn_requests' };
    case 'error':
      if (outcome.error?.kind === 'truncated_stream') return { stopReason: 'max_tokens' };
      return runFailed(outcome.error, runEndText('error'));
  }
}
