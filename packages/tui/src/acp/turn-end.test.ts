import { RequestError } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../commands/send/follow.js';
import { turnEnd } from './turn-end.js';

const outcome = (o: Partial<RunOutcome>): RunOutcome => ({ stopReason: 'done', denied: false, finalText: '', ...o });

describe('how a prompt turn ends', () => {
  it('maps hermes stop reasons to ACP ones', () => {
    expect(turnEnd(outcome({ stopReason: 'done' }), false)).toEqual({ stopReason: 'end_turn' });
    expect(turnEnd(outcome({ stopReason: 'done', denied: true }), false)).toEqual({ stopReason: 'end_turn' });
    expect(turnEnd(outcome({ stopReason: 'cancelled' }), false)).toEqual({ stopReason: 'cancelled' });
    expect(turnEnd(outcome({ stopReason: 'interrupted' }), false)).toEqual({ stopReason: 'cancelled' });
    expect(turnEnd(outcome({ stopReason: 'max_iterations' }), false)).toEqual({ stopReason: 'max_turn_requests' });
    expect(turnEnd(outcome({ stopReason: 'error', error: { kind: 'truncated_stream', message: 'cut', retryable: true } }), false)).toEqual({
      stopReason: 'max_tokens',
    });
  });

  it('a failed run is a JSON-RPC error carrying kind, message and hint', () => {
    const r = turnEnd(
      outcome({ stopReason: 'error', error: { kind: 'auth', message: 'bad key', hint: 'set OPENAI_API_KEY', retryable: false } }),
      false,
    );
    expect(r).toBeInstanceOf(RequestError);
    expect((r as RequestError).message).toBe('hermes: auth: bad key (set OPENAI_API_KEY)');
    expect((r as RequestError).data).toEqual({ kind: 'auth', message: 'bad key', hint: 'set OPENAI_API_KEY', retryable: false });
  });

  it('a cancel from the editor answers cancelled, even when the run then fails', () => {
    expect(turnEnd(outcome({ stopReason: 'error', error: { kind: 'network', message: 'x', retryable: true } }), true)).toEqual({
      stopReason: 'cancelled',
    });
    expect(turnEnd(outcome({ stopReason: 'done' }), true)).toEqual({ stopReason: 'cancelled' });
  });
});
