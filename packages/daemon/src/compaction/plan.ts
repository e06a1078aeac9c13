import type { AssistantItem, CompactionItem, ToolItem, Transcript, TranscriptItem, UserItem } from '@hermes/protocol';
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
  /** A user message that started a turn (a steer joins the turn it reached). */
  turnStart: boolean;
  tokens: number;
}

/**
 * Splits the history after the previous boundary into segments that may be cut between: each
 * user message, and each assistant reply together with its tool results.
 */
function segments(items: TranscriptItem[], tools: Map<string, ToolItem>): Segment[] {
  const out: Segment[] = [];
  for (const item of items) {
    if (item.kind === 'user')
      out.push({ seq: item.seq, kind: 'user', turnStart: item.delivery !== 'steer', tokens: 4 + estimateText(item.text) });
    else if (item.kind === 'assistant') {
      let tokens = 4 + estimateText(item.text) + estimateText(item.reasoning) + estimateText(JSON.stringify(item.toolCalls));
      for (const c of item.toolCalls) tokens += 4 + estimateText(tools.get(c.id)?.result ?? '');
      out.push({ seq: item.seq, kind: 'assistant', turnStart: false, tokens });
    }
  }
  return out;
}

/**
 * Plans a compaction: walks back from the newest item keeping whole segments within the
 * budget, then moves the cut to the earliest turn's start inside what is kept, so the last
 * turns stay whole. The cut never passes the start of the newest turn: between tool iterations
 * its user message stays the last user turn, verbatim after the summary, with its calls and
 * results (summarising it would leave the model without the request it is working on); `idle`
 * (a manual compaction, no run going) may still summarise a lone finished turn. Null
 * when there is nothing old enough to summarise.
 */
export function planCompaction(t: Items, budgets: PlanBudgets, opts: { idle?: boolean } = {}): CompactionPlan | null {
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
  const firstTurn = segs.findIndex((s, i) => i >= cut && s.turnStart);
  if (firstTurn !== -1) cut = firstTurn;
  const currentTurn = segs.map((s) => s.turnStart).lastIndexOf(true);
  // Everything fits the budget (cut 0), yet the context is full: keep only the last turn (a
  // history that starts mid-turn, after an older compaction cut there, keeps its last reply).
  if (currentTurn !== -1) cut = cut === 0 ? currentTurn : Math.min(cut, currentTurn);
  // Idle (a manual compaction): the last turn is over, and it alone may be summarised but its last reply.
  if (cut === 0 && (currentTurn === -1 || opts.idle)) cut = segs.length - 1;
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

/**
 * Big tool outputs of the live history (after the last boundary) but the newest reply's, which
 * the model is about to read: when the running turn is all there is to compact (one long run of
 * tool iterations), stubbing them keeps its message and every call/result pair in place.
 */
export function prunableBeforeNewestReply(t: Items, minChars = 800): string[] {
  const previous = lastCompaction(t);
  const already = new Set(previous?.prunedToolCallIds ?? []);
  const live = previous ? t.items.filter((i) => i.seq >= (previous.keptFromSeq ?? 0)) : t.items;
  // The newest reply that called tools (an overflow may have left an empty one after it).
  const calling = live.filter((i): i is AssistantItem => i.kind === 'assistant' && i.toolCalls.length > 0);
  const newest = new Set(calling.at(-1)?.toolCalls.map((c) => c.id) ?? []);
  return live.flatMap((i) =>
    i.kind === 'tool' && !newest.has(i.toolCallId) && !already.has(i.toolCallId) && (i.result?.length ?? 0) > minChars
      ? [i.toolCallId]
      : [],
  );
}
