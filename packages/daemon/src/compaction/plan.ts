import type { CompactionItem, ToolItem, Transcript, TranscriptItem, UserItem } from '@hermes/protocol';
import { lastCompaction } from '../agent/history.js';
import { estimateText } from './estimate.js';

type Items = Pick<Transcript, 'items' | 'lastSeq'>;

/** What a compaction keeps and what it summarises. */
export interface CompactionPlan {
  /** The first seq kept verbatim: a user message's, else an assistant reply's (never between a call and its result), else past the end. */
  keptFromSeq: number;
  /** Earlier user messages kept verbatim, oldest first. */
  keptUserMessageIds: string[];
  /** The items to summarise: after the previous boundary, before `keptFromSeq`. */
  summarised: TranscriptItem[];
  /** The previous compaction's summary, to be updated rather than lost. */
  previous?: CompactionItem;
}

export interface PlanBudgets {
  /** Tokens of whole turns kept verbatim at the end. */
  keepRecentTokens: number;
  /** Tokens of earlier user messages kept verbatim. */
  keepUserTokens: number;
}

/**
 * Budgets from the room the history has under the limit (the system prompt and tool schemas
 * take the rest): 30 % of it for the verbatim tail, 15 % for earlier user messages, at most
 * 20k tokens each. Unknown window: 20k each.
 */
export function budgetsFor(room: number | undefined): PlanBudgets {
  if (room === undefined) return { keepRecentTokens: 20_000, keepUserTokens: 20_000 };
  const r = Math.max(0, room);
  return { keepRecentTokens: Math.min(20_000, Math.floor(r * 0.3)), keepUserTokens: Math.min(20_000, Math.floor(r * 0.15)) };
}

interface Segment {
  seq: number;
  kind: 'user' | 'assistant';
  tokens: number;
}

/**
 * Splits the history after the previous boundary into segments that may be cut between: each
 * user message, and each assistant reply together with its tool results.
 */
function segments(items: TranscriptItem[], tools: Map<string, ToolItem>): Segment[] {
  const out: Segment[] = [];
  for (const item of items) {
    if (item.kind === 'user') out.push({ seq: item.seq, kind: 'user', tokens: 4 + estimateText(item.text) });
    else if (item.kind === 'assistant') {
      let tokens = 4 + estimateText(item.text) + estimateText(item.reasoning) + estimateText(JSON.stringify(item.toolCalls));
      for (const c of item.toolCalls) tokens += 4 + estimateText(tools.get(c.id)?.result ?? '');
      out.push({ seq: item.seq, kind: 'assistant', tokens });
    }
  }
  return out;
}

/**
 * Plans a compaction: walks back from the newest item keeping whole segments within the
 * budget, then moves the cut to the earliest user message inside what is kept, so the last
 * turns stay whole. Null when there is nothing old enough to summarise.
 */
export function planCompaction(t: Items, budgets: PlanBudgets): CompactionPlan | null {
  const previous = lastCompaction(t);
  const live = previous ? t.items.filter((i) => i.seq >= (previous.keptFromSeq ?? 0)) : t.items;
  const tools = new Map<string, ToolItem>();
  for (const i of t.items) if (i.kind === 'tool') tools.set(i.toolCallId, i);
  const segs = segments(live, tools);
  let cut = segs.length;
  let acc = 0;
  for (let i = segs.length - 1; i >= 0; i--) {
    if (acc + segs[i]!.tokens > budgets.keepRecentTokens) break;
    acc += segs[i]!.tokens;
    cut = i;
  }
  const firstUser = segs.findIndex((s, i) => i >= cut && s.kind === 'user');
  if (firstUser !== -1) cut = firstUser;
  if (cut === 0) {
    // Everything fits the budget, yet the context is full: keep only the last turn.
    const lastUser = segs.map((s) => s.kind).lastIndexOf('user');
    cut = lastUser > 0 ? lastUser : segs.length - 1;
  }
  if (cut <= 0) return null;
  const keptFromSeq = cut < segs.length ? segs[cut]!.seq : t.lastSeq + 1;
  const summarised = live.filter((i) => i.seq < keptFromSeq);
  if (!summarised.some((i) => i.kind === 'user' || i.kind === 'assistant')) return null;
  return {
    keptFromSeq,
    keptUserMessageIds: keptUsers(t.items, keptFromSeq, budgets.keepUserTokens),
    summarised,
    ...(previous ? { previous } : {}),
  };
}

/** The newest user messages before the cut that fit the budget, oldest first. */
function keptUsers(items: TranscriptItem[], keptFromSeq: number, budget: number): string[] {
  const users = items.filter((i): i is UserItem => i.kind === 'user' && i.seq < keptFromSeq);
  const out: string[] = [];
  let acc = 0;
  for (let i = users.length - 1; i >= 0; i--) {
    const cost = estimateText(users[i]!.text);
    if (acc + cost > budget) break;
    acc += cost;
    out.unshift(users[i]!.messageId);
  }
  return out;
}

/** Tool results in the summarised part worth stubbing out: pruning them may be enough. */
export function prunableToolCalls(plan: CompactionPlan, minChars = 800): string[] {
  const already = new Set(plan.previous?.prunedToolCallIds ?? []);
  return plan.summarised.flatMap((i) =>
    i.kind === 'tool' && !already.has(i.toolCallId) && (i.result?.length ?? 0) > minChars ? [i.toolCallId] : [],
  );
}
