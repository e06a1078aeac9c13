import type { NoticeItem, Transcript } from '@hermes/protocol';
import os from 'node:os';
import { modelLabel } from '../../format/model.js';
import { truncate } from '../../format/width.js';
import { formatTokens } from '../../format/tokens.js';
import { span, textWidth, type Line } from '../text/lines.js';
import { theme, type Style } from '../theme/theme.js';
import type { StreamStatus } from '../../client/event-stream.js';
import { queueCountText } from '../../format/delivery.js';
import { mcpStatusText, type McpCounts } from '../../format/mcp.js';
import { retryNow, type RetryNow } from '../../format/retry.js';

export type UiState = 'idle' | 'waiting' | 'retrying' | 'streaming' | 'running tool' | 'awaiting approval' | 'reconnecting' | 'connecting';

/** The provider's retry notice, when it is the latest thing the active run said. */
export function retryNotice(t: Transcript): NoticeItem | null {
  if (!t.activeRunId) return null;
  const last = t.items.at(-1);
  return last?.kind === 'notice' && last.level === 'warn' && (last.retry !== undefined || /retr|fallback/i.test(last.message))
    ? last
    : null;
}

/**
 * What the retry is doing at `now`: counting down to the next attempt, then that attempt
 * waiting (from the notice's data); a notice without it (a fallback, an older daemon) as worded.
 */
export function retryText(n: NoticeItem, now: number): RetryNow {
  return n.retry ? retryNow(n.retry, now) : { phase: 'attempt', status: `retrying: ${n.message}`, short: 'retrying' };
}

export function uiState(t: Transcript, connection: StreamStatus): UiState {
  if (connection === 'reconnecting') return 'reconnecting';
  if (connection === 'connecting') return 'connecting';
  if (t.pendingApprovals.length > 0) return 'awaiting approval';
  if (!t.activeRunId) return 'idle';
  if (t.items.some((i) => i.kind === 'tool' && i.status === 'running')) return 'running tool';
  if (retryNotice(t)) return 'retrying';
  const last = t.items.at(-1);
  // Nothing of the model's answer yet (the run just started, or a tool just finished).
  const answering = last?.kind === 'assistant' && last.status === 'streaming' && (last.text !== '' || last.reasoning !== '');
  return answering ? 'streaming' : 'waiting';
}

const STATE_STYLE: Record<UiState, Style> = {
  idle: theme.ok,
  waiting: theme.accent,
  retrying: theme.warn,
  streaming: theme.accent,
  'running tool': theme.accent,
  'awaiting approval': theme.warn,
  reconnecting: theme.error,
  connecting: theme.dim,
};

export function shortPath(p: string): string {
  const home = os.homedir();
  return home && (p === home || p.startsWith(home + '/')) ? '~' + p.slice(home.length) : p;
}

/** How full the model's context is, `ctx 42%`, dim, then yellow from 60 %, red from 85 % (where auto-compaction starts). */
export function contextPart(t: Transcript): { text: string; style: Style } | null {
  const { contextTokens, contextWindow } = t.usage;
  if (contextTokens === undefined || !contextWindow) return null;
  const pct = Math.min(100, Math.round((contextTokens / contextWindow) * 100));
  return { text: `ctx ${pct}%`, style: pct >= 85 ? theme.error : pct >= 60 ? theme.warn : theme.dim };
}

const MIN_TITLE = 8;

/**
 * `title · model · ● state · tokens · ctx · cost · queued · mcp · workspace`, cut to the width
 * (workspace goes first). `defaultModel`: what a session without its own model runs on (see modelLabel).
 */
export function statusLine(
  t: Transcript,
  connection: StreamStatus,
  width: number,
  extra?: string,
  mcp?: McpCounts | null,
  defaultModel?: string | null,
  now: number = Date.now(),
): Line {
  const state = uiState(t, connection);
  const retry = state === 'retrying' ? retryNotice(t) : null;
  const tokens = t.usage.inputTokens + t.usage.outputTokens;
  const parts: { text: string; style?: Style }[] = [
    { text: t.title || 'new session', style: theme.accent },
    { text: modelLabel(t.model, defaultModel), style: theme.dim },
    { text: retry ? `● ${retryText(retry, now).status}` : `● ${state}`, style: STATE_STYLE[state] },
    { text: `${formatTokens(tokens)} tok`, style: theme.dim },
  ];
  const ctxPart = contextPart(t);
  if (ctxPart) parts.push(ctxPart);
  // The title (often the first message, long) yields to what follows it up to the context
  // meter, which a long session needs to see; at least a few characters of it stay.
  const essential = parts.slice(1).reduce((n, p) => n + 3 + textWidth(p.text), 0);
  parts[0]!.text = truncate(parts[0]!.text, Math.max(MIN_TITLE, width - essential));
  if (t.usage.costUsd !== undefined) parts.push({ text: `$${t.usage.costUsd.toFixed(t.usage.costUsd < 1 ? 3 : 2)}`, style: theme.dim });
  const waiting = queueCountText(t.queued);
  if (waiting) parts.push({ text: waiting, style: theme.warn });
  const servers = mcp ? mcpStatusText(mcp) : null;
  if (servers) parts.push({ text: servers.text, style: servers.failed ? theme.warn : theme.dim });
  if (extra) parts.push({ text: extra, style: theme.dim });
  if (t.workspace) parts.push({ text: shortPath(t.workspace), style: theme.dim });
  const line: Line = [];
  let used = 0;
  for (const [i, p] of parts.entries()) {
    const sep = i === 0 ? '' : ' · ';
    let text = p.text;
    const room = width - used - textWidth(sep);
    if (room <= 1) break;
    text = truncate(text, room);
    if (sep) line.push(span(sep, theme.border));
    line.push(span(text, p.style));
    used += textWidth(sep) + textWidth(text);
  }
  return line;
}
