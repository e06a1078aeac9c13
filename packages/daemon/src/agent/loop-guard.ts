import type { ToolCall } from '@hermes/protocol';

/** Failures of the same call in a row that stop the run to ask the user. */
export const LOOP_GUARD_FAILURES = 3;

/**
 * Notices a model stuck retrying: the same tool with the same arguments failing again and
 * again. Any success, or any other call, resets it.
 */
export class LoopGuard {
  private key: string | null = null;
  private count = 0;

  /** Records a call's outcome; true when it is the third failure in a row of the same call. */
  record(call: ToolCall, ok: boolean): boolean {
    const key = `${call.name}\u0000${JSON.stringify(call.args)}${call.invalidArgs ?? ''}`;
    if (ok) {
      this.key = null;
      this.count = 0;
      return false;
    }
    this.count = key === this.key ? this.count + 1 : 1;
    this.key = key;
    return this.count >= LOOP_GUARD_FAILURES;
  }

  reset(): void {
    this.key = null;
    this.count = 0;
  }
}
