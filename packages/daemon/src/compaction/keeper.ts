import type { RunError, Usage } from '@hermes/protocol';
import { historyFromTranscript } from '../agent/history.js';
import type { RunContext } from '../agent/types.js';
import type { ChatMessage } from '../provider/index.js';
import { compact, consecutiveAutoFailures, type CompactResult } from './compact.js';
import { estimateMessages } from './estimate.js';
import { autoLimit } from './limits.js';

/** After this many failed auto-compactions in a row, a session compacts only by hand. */
export const MAX_AUTO_FAILURES = 3;

export const OVERFLOW_HINT =
  'Run /compact with a focus (or `hermes sessions compact ID --focus …`) to shrink the history, or switch to a model with a larger context window.';

export interface KeeperStep {
  /** The rebuilt history (system message excluded) when a compaction was applied. */
  history?: ChatMessage[];
  /** The summary call's usage, to be added to the run's. */
  usage?: Usage;
  /** The model that made the summary. */
  model?: string;
  tokensAfter?: number;
}

/**
 * Keeps a run's context under its model's window: counts the context in use (the last
 * provider-reported size plus an estimate of what was appended since), compacts before a
 * request that would cross the limit, and once after a provider's context-length error.
 */
export class ContextKeeper {
  private anchor: { tokens: number; count: number } | null = null;
  private autoFailedThisRun = false;
  private justOverflowed = false;
  readonly limit: number | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly model: string,
    /** The system prompt and tool schemas: carried by every request. */
    private readonly fixedTokens: number,
    window: number | undefined,
  ) {
    this.limit = autoLimit(window, ctx.config.compaction);
  }

  private get autoAllowed(): boolean {
    return this.ctx.config.compaction?.auto !== false && consecutiveAutoFailures(this.ctx.current().items) < MAX_AUTO_FAILURES;
  }

  /** The provider counted `tokens` for the request that had `count` messages (its reply included). */
  noteUsage(tokens: number, count: number): void {
    this.anchor = { tokens, count };
  }

  /** A request went through: a later overflow may be compacted again. */
  requestSucceeded(): void {
    this.justOverflowed = false;
  }

  used(messages: readonly ChatMessage[]): number {
    const estimate = this.fixedTokens + estimateMessages(messages.slice(1));
    if (!this.anchor || this.anchor.count > messages.length) return estimate;
    return Math.max(estimate, this.anchor.tokens + estimateMessages(messages.slice(this.anchor.count)));
  }

  /** Before each provider request: compacts when the context reached the limit. */
  async beforeRequest(messages: readonly ChatMessage[]): Promise<KeeperStep> {
    if (this.limit === undefined || this.autoFailedThisRun || !this.autoAllowed) return {};
    const used = this.used(messages);
    if (used < this.limit) return {};
    const r = await this.run('auto', used, this.limit);
    if (!r.ok) this.autoFailedThisRun = true;
    return this.step(r);
  }

  /**
   * After a context-length error before any output: one compaction, for one retry. Returns
   * the error to end the run with when that is not possible (a second overflow, auto off).
   */
  async onOverflow(messages: readonly ChatMessage[]): Promise<KeeperStep & { retry: boolean; hint: string }> {
    if (this.justOverflowed || !this.autoAllowed) return { retry: false, hint: OVERFLOW_HINT };
    this.justOverflowed = true;
    const r = await this.run('overflow', this.used(messages));
    return { ...this.step(r), retry: r.ok, hint: OVERFLOW_HINT };
  }

  private async run(trigger: 'auto' | 'overflow', tokensBefore: number, pruneUnder?: number): Promise<CompactResult> {
    const r = await compact(this.ctx, {
      trigger,
      model: this.model,
      tokensBefore,
      fixedTokens: this.fixedTokens,
      ...(pruneUnder !== undefined ? { pruneUnder } : {}),
    });
    if (r.ok) this.anchor = null;
    else if (consecutiveAutoFailures(this.ctx.current().items) === MAX_AUTO_FAILURES) {
      await this.ctx.emit({
        type: 'notice',
        data: {
          level: 'warn',
          message: `Automatic compaction is off for this session after ${MAX_AUTO_FAILURES} failed attempts in a row. Use /compact (with a focus) or start a new session.`,
        },
      });
    }
    return r;
  }

  private step(r: CompactResult): KeeperStep {
    const model = this.ctx.config.compaction?.model ?? this.model;
    if (!r.ok) return { ...(r.usage ? { usage: r.usage, model } : {}) };
    return {
      history: historyFromTranscript(this.ctx.current()),
      tokensAfter: r.tokensAfter,
      model,
      ...(r.usage ? { usage: r.usage } : {}),
    };
  }
}

/** A manual compaction's error, for the run that carried it. */
export type ManualOutcome = { ok: true; tokensAfter: number } | { ok: false; error: RunError };
