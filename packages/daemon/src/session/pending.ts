/**
 * Questions a run waits on (approvals, clarify questions): each pending until the first
 * answer, a timeout, or the run's end. The first answer wins: `take` hands an entry out once.
 */
export class PendingAsks<Ask, Answer> {
  private readonly open = new Map<string, { ask: Ask; resolve: (answer: Answer) => void; timer?: NodeJS.Timeout }>();

  /**
   * Registers a question; the promise resolves with its answer. With `timeoutSec`, `onTimeout`
   * is called once that long has passed without an answer (it normally answers the question).
   */
  add(id: string, ask: Ask, timeoutSec: number | undefined, onTimeout: () => void): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      const entry: { ask: Ask; resolve: (answer: Answer) => void; timer?: NodeJS.Timeout } = { ask, resolve };
      if (timeoutSec) {
        entry.timer = setTimeout(onTimeout, timeoutSec * 1000);
        entry.timer.unref();
      }
      this.open.set(id, entry);
    });
  }

  /** Removes a pending question and returns it with its resolver; undefined when it is not pending (any more). */
  take(id: string): { ask: Ask; resolve: (answer: Answer) => void } | undefined {
    const entry = this.open.get(id);
    if (!entry) return undefined;
    this.open.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    return entry;
  }

  has(id: string): boolean {
    return this.open.has(id);
  }

  ask(id: string): Ask | undefined {
    return this.open.get(id)?.ask;
  }

  ids(): string[] {
    return [...this.open.keys()];
  }
}
