import { describe, expect, it } from 'vitest';
import { initialStop, interrupted, stopAction, withdrawing, withdrawRefused } from './stop.js';

const none = { runId: null, messageId: null, queued: false };

describe('the Ctrl-C state machine of send', () => {
  it('does nothing before a Ctrl-C', () => {
    expect(stopAction(initialStop, { runId: 'r1', messageId: 'm1', queued: false }).action).toEqual({ kind: 'none' });
  });

  it('cancels the run once it is known, once', () => {
    let s = interrupted(initialStop).state;
    // The POST has not answered yet: nothing to stop.
    let step = stopAction(s, none);
    expect(step.action.kind).toBe('none');
    s = step.state;
    step = stopAction(s, { runId: 'r1', messageId: 'm1', queued: false });
    expect(step.action).toEqual({ kind: 'cancel' });
    expect(stopAction(step.state, { runId: 'r1', messageId: 'm1', queued: false }).action.kind).toBe('none');
  });

  it('withdraws a queued message; when that comes too late, cancels its run instead', () => {
    const s = interrupted(initialStop).state;
    const queued = { runId: null, messageId: 'm1', queued: true };
    expect(withdrawing(queued)).toBe(true);
    const step = stopAction(s, queued);
    expect(step.action).toEqual({ kind: 'withdraw', messageId: 'm1' });
    const refused = withdrawRefused(step.state);
    // Still queued as far as we know: no second withdrawal…
    expect(stopAction(refused, queued).action.kind).toBe('none');
    // …and the cancel goes as soon as run.started names the run.
    expect(stopAction(refused, { runId: 'r1', messageId: 'm1', queued: false }).action).toEqual({ kind: 'cancel' });
  });

  it('quits at the second Ctrl-C', () => {
    const first = interrupted(initialStop);
    expect(first.quit).toBe(false);
    expect(interrupted(first.state).quit).toBe(true);
  });
});
