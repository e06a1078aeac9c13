import type { CompactionItem, CompactionTrigger, RunError, Usage } from '@hermes/protocol';
import { historyFromTranscript, lastCompaction } from '../agent/history.js';
import type { RunContext } from '../agent/types.js';
import { contextWindowFor, isAbortError, isProviderError, streamModel, type ChatMessage } from '../provider/index.js';
import { newId } from '../util/ids.js';
import { estimateMessages } from './estimate.js';
import { autoLimit } from './limits.js';
import { budgetsFor, planCompaction, prunableBeforeNewestReply, prunableToolCalls, type CompactionPlan } from './plan.js';
import { extractSummary, renderForSummary, summaryRequest } from './prompt.js';

/** A compaction must shrink the context by at least this much to be applied. */
export const MIN_REDUCTION = 0.1;
/** Pruning alone is enough when it gets the context under this fraction of the limit. */
const PRUNE_TARGET = 0.75;
/** The summary's own output cap. */
const MAX_SUMMARY_TOKENS = 4000;

export interface CompactOptions {
  trigger: CompactionTrigger;
  /** The session's model for this run. */
  model: string;
  focus?: string;
  /** The context in use as the loop counts it (provider-reported, plus an estimate since). */
  tokensBefore: number;
  /** The system prompt and the tool schemas, which every request carries and no compaction shrinks. */
  fixedTokens: number;
  /** When set (auto: the limit), stubbing old tool outputs is tried first, and is enough when it gets well under it. */
  pruneUnder?: number;
}

export type CompactResult =
  | { ok: true; compactionId: string; tokensAfter: number; usage?: Usage }
  | { ok: false; compactionId: string; error: RunError; usage?: Usage };

const fail = (kind: string, message: string, retryable = false): RunError => ({ kind, message, retryable });

/**
 * One compaction, start to end: `compaction.started`, a summary from the model (or only
 * stubbed old outputs when that is enough), the 10 % check, then `compaction.completed`
 * (durable before it is published) or `compaction.failed`. Never throws for a provider error;
 * the history is untouched unless it completed.
 */
export async function compact(ctx: RunContext, o: CompactOptions): Promise<CompactResult> {
  const compactionId = newId('cmp');
  const summaryModel = ctx.config.compaction?.model ?? o.model;
  await ctx.emit({
    type: 'compaction.started',
    data: { compactionId, trigger: o.trigger, tokensBefore: o.tokensBefore, model: summaryModel, ...(o.focus ? { focus: o.focus } : {}) },
  });
  const failed = async (error: RunError, usage?: Usage): Promise<CompactResult> => {
    await ctx.emit({ type: 'compaction.failed', data: { compactionId, error } });
    return { ok: false, compactionId, error, ...(usage ? { usage } : {}) };
  };
  const t = ctx.current();
  const window = contextWindowFor(o.model, ctx.config.providers);
  const limit = autoLimit(window, ctx.config.compaction);
  // A manual compaction runs only while the session is idle (409 otherwise): no turn is in progress.
  const plan = planCompaction(t, budgetsFor(limit === undefined ? undefined : limit - o.fixedTokens), { idle: o.trigger === 'manual' });
  const before = o.fixedTokens + estimateMessages(historyFromTranscript(t));
  const after = (c: CompactionItem) => o.fixedTokens + estimateMessages(historyFromTranscript({ items: [...t.items, c] }));
  const draft = (summary: string, p: CompactionPlan, pruned?: string[]): CompactionItem => ({
    kind: 'compaction',
    seq: t.lastSeq + 1,
    compactionId,
    trigger: o.trigger,
    status: 'completed',
    tokensBefore: o.tokensBefore,
    summary,
    keptFromSeq: p.keptFromSeq,
    keptUserMessageIds: p.keptUserMessageIds,
    ...(pruned?.length ? { prunedToolCallIds: pruned } : {}),
    ...(t.plan?.todos.length ? { plan: t.plan.todos } : {}),
  });
  // Nothing (or too little) before the running turn to summarise: the live history's older tool
  // outputs may still be stubbed, which keeps the turn's message and every call/result pair.
  const tooLittle = !plan || estimateMessages(historyFromTranscript({ items: plan.summarised })) < before * MIN_REDUCTION;
  if (tooLittle) {
    const prunable = prunableBeforeNewestReply(t);
    const prev = lastCompaction(t);
    if (prunable.length > 0) {
      const onlyPruned = draft(
        prev?.summary ?? '',
        { keptFromSeq: prev?.keptFromSeq ?? 0, keptUserMessageIds: prev?.keptUserMessageIds ?? [], summarised: [] },
        [...(prev?.prunedToolCallIds ?? []), ...prunable],
      );
      const tokensAfter = after(onlyPruned);
      if (tokensAfter <= before * (1 - MIN_REDUCTION)) {
        await complete(ctx, onlyPruned, tokensAfter);
        return { ok: true, compactionId, tokensAfter };
      }
    }
    // Even an empty summary of so little could not free the 10 %: no model call for that.
    return failed(
      fail(
        'nothing_to_compact',
        plan ? 'Too little of the history is old enough to summarise yet.' : 'There is nothing old enough to summarise yet.',
      ),
    );
  }

  // Stubbing old tool outputs costs no model call; it is enough when it gets under the line.
  if (o.pruneUnder !== undefined) {
    const prunable = prunableToolCalls(plan);
    if (prunable.length > 0) {
      const prev = plan.previous;
      const onlyPruned = draft(
        prev?.summary ?? '',
        {
          keptFromSeq: prev?.keptFromSeq ?? 0,
          keptUserMessageIds: prev?.keptUserMessageIds ?? [],
          summarised: [],
        },
        [...(prev?.prunedToolCallIds ?? []), ...prunable],
      );
      const tokensAfter = after(onlyPruned);
      // Well under, or the next request would compact again at once.
      if (tokensAfter < o.pruneUnder * PRUNE_TARGET && tokensAfter <= before * (1 - MIN_REDUCTION)) {
        await complete(ctx, onlyPruned, tokensAfter);
        return { ok: true, compactionId, tokensAfter };
      }
    }
  }

  const summaryWindow = contextWindowFor(summaryModel, ctx.config.providers) ?? window ?? 100_000;
  // The request must fit the summariser's window: the conversation gets about half of it.
  const maxChars = Math.max(4000, Math.floor(summaryWindow * 0.5) * 4);
  const messages: ChatMessage[] = summaryRequest(renderForSummary(plan.summarised, maxChars), plan.previous?.summary, o.focus);
  let text = '';
  let usage: Usage | undefined;
  try {
    const stream = streamModel(
      {
        model: summaryModel,
        messages,
        tools: [],
        maxTokens: Math.min(MAX_SUMMARY_TOKENS, Math.max(256, Math.floor(summaryWindow * 0.25))),
        signal: ctx.signal,
      },
      { config: ctx.config, env: ctx.env },
    );
    for await (const ev of stream) {
      if (ev.type === 'text') text += ev.text;
      else if (ev.type === 'usage') usage = ev.usage;
    }
  } catch (err) {
    if (ctx.signal.aborted || isAbortError(err)) return failed(fail('cancelled', 'The compaction was cancelled.'), usage);
    const e = isProviderError(err) ? err.toRunError() : fail('internal', err instanceof Error ? err.message : String(err));
    return failed({ ...e, message: `The summary request failed: ${e.message}` }, usage);
  }
  const summary = extractSummary(text);
  if (!summary) return failed(fail('empty_summary', 'The model returned an empty summary.'), usage);
  const applied = draft(summary, plan);
  const tokensAfter = after(applied);
  if (tokensAfter > before * (1 - MIN_REDUCTION)) {
    return failed(
      fail('not_reduced', `The summary did not shrink the context enough (${before} → ${tokensAfter} tokens, at least 10 % needed).`),
      usage,
    );
  }
  await complete(ctx, applied, tokensAfter);
  return { ok: true, compactionId, tokensAfter, ...(usage ? { usage } : {}) };
}

async function complete(ctx: RunContext, c: CompactionItem, tokensAfter: number): Promise<void> {
  await ctx.emit(
    {
      type: 'compaction.completed',
      data: {
        compactionId: c.compactionId,
        summary: c.summary ?? '',
        keptFromSeq: c.keptFromSeq ?? 0,
        tokensBefore: c.tokensBefore,
        tokensAfter,
        ...(c.keptUserMessageIds?.length ? { keptUserMessageIds: c.keptUserMessageIds } : {}),
        ...(c.prunedToolCallIds?.length ? { prunedToolCallIds: c.prunedToolCallIds } : {}),
      },
    },
    { durable: true },
  );
}

/** Auto-compactions that failed in a row, newest back (a completed one of any kind ends the streak). */
export function consecutiveAutoFailures(items: readonly { kind: string; status?: string; trigger?: string }[]): number {
  let n = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.kind !== 'compaction') continue;
    if (it.status === 'completed') break;
    if (it.status === 'failed' && it.trigger !== 'manual') n++;
  }
  return n;
}
