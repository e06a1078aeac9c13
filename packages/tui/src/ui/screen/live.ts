import type { QueuedMessage, Transcript } from '@hermes/protocol';
import { queuedLabel, STEER_WAIT_HINT } from '../../format/delivery.js';
import { assistantLines, type ReasoningMode } from '../views/messages/assistant.js';
import { formatDuration } from '../../format/duration.js';
import { SPINNER, toolLines } from '../views/ToolCard.js';
import { retryNotice, retryText, uiState } from '../views/StatusLine.js';
import { continuedAt, isFinished, type CommitState } from '../store/scrollback.js';
import { theme } from '../theme/theme.js';
import { itemLines } from './entries.js';
import { clampTop, span, wrapLine, type Line } from '../text/lines.js';

export interface LiveBodyInput {
  transcript: Transcript;
  commit: CommitState;
  width: number;
  reasoning: ReasoningMode;
  now: number;
  frame: number;
  /** Since when the run has waited for the model (no answer text yet), for the spinner's clock. */
  waitingSince?: number | undefined;
}

/** A sign of life until the first token: spinner, what we wait for, how long (as tool cards have). */
export function waitingLine(frame: number, elapsedMs: number | undefined, retry: string | null): Line {
  const clock = elapsedMs === undefined ? '' : ` · ${formatDuration(elapsedMs)}`;
  return [
    span(`  ${SPINNER[frame % SPINNER.length]} `, theme.accent),
    span(retry ?? 'waiting for the model', theme.dim),
    span(`${clock} · Esc cancels`, theme.dim),
  ];
}

/** The not-yet-committed part of the transcript: the streaming tail, running tools, and what waits behind them. */
export function liveBodyLines(i: LiveBodyInput): Line[] {
  const t = i.transcript;
  const out: Line[] = [];
  const paused = t.pendingApprovals.length > 0;
  for (let k = i.commit.itemIndex; k < t.items.length; k++) {
    const item = t.items[k]!;
    const from = k === i.commit.itemIndex ? i.commit.offset : 0;
    if (item.kind === 'assistant' && !isFinished(item)) {
      const lines = assistantLines({
        text: item.text.slice(from),
        reasoning: from === 0 ? item.reasoning : '',
        mode: i.reasoning,
        live: true,
        width: i.width,
        continued: continuedAt(from, k === i.commit.itemIndex && i.commit.join),
      });
      if (from === 0) out.push([]);
      out.push(...lines);
    } else if (item.kind === 'tool' && item.status === 'running') {
      // The reducer records when the tool started (its event's time).
      const started = item.startedAt ? Date.parse(item.startedAt) : NaN;
      out.push(
        ...toolLines(item, {
          width: i.width,
          frame: i.frame,
          paused,
          ...(Number.isFinite(started) ? { elapsedMs: Math.max(0, i.now - started) } : {}),
        }),
      );
    } else {
      out.push(...itemLines(item, i.width, i.reasoning, from, k === i.commit.itemIndex && i.commit.join));
    }
  }
  const state = uiState(t, 'live');
  if (state === 'waiting' || state === 'retrying') {
    if (out.length === 0 || out[out.length - 1]!.length > 0) out.push([]);
    const retry = retryNotice(t);
    const since = i.waitingSince === undefined ? undefined : Math.max(0, i.now - i.waitingSince);
    const r = retry ? retryText(retry, i.now) : null;
    // While a retry counts down its own clock is the one that matters.
    out.push(waitingLine(i.frame, r?.phase === 'delay' ? undefined : since, r?.short ?? null));
  }
  return out;
}

export interface LiveLayoutInput {
  body: Line[];
  /** The todo plan panel (empty when there is none), above the queued messages. */
  plan?: Line[];
  /** Queued messages (the daemon's queue), steers among them. */
  queued: Pick<QueuedMessage, 'text' | 'delivery'>[];
  /** The input, the approval prompt or the picker, with completions: never cut. */
  bottom: Line[];
  hint: Line | null;
  status: Line;
  width: number;
  rows: number;
}

/**
 * Stacks the live region and clamps it to `rows - 1`, cutting the body from the top (with a
 * "… N lines hidden" row). Ink clears the whole screen, scrollback included, whenever the live
 * region reaches the terminal's height; this keeps it strictly below.
 */
export function layoutLive(l: LiveLayoutInput): Line[] {
  const max = Math.max(3, l.rows - 1);
  const fixed: Line[] = [...(l.plan ?? [])];
  for (const q of l.queued.slice(0, 3)) {
    const icon = q.delivery === 'steer' ? '↪' : '⏳';
    fixed.push(wrapLine([span(`  ${icon} ${queuedLabel(q)}: `, theme.warn), span(q.text.split('\n')[0] ?? '', theme.dim)], l.width)[0]!);
  }
  if (l.queued.length > 3) fixed.push([span(`  … ${l.queued.length - 3} more queued`, theme.dim)]);
  if (l.queued.some((q) => q.delivery === 'steer')) fixed.push([span(`  ${STEER_WAIT_HINT}`, theme.dim)]);
  if (l.queued.length > 0) fixed.push([span('  ↑ on an empty prompt takes the last one back to edit', theme.dim)]);
  fixed.push([]);
  const bottom = l.bottom.slice(-Math.max(1, max - 1 - fixed.length - (l.hint ? 1 : 0)));
  const tail: Line[] = [...fixed, ...bottom, ...(l.hint ? [l.hint] : []), l.status];
  const room = max - tail.length;
  // Leading blank rows of the body are spacing only; drop them when space is short.
  let body = l.body;
  if (body.length > room) while (body.length > 0 && body[0]!.length === 0) body = body.slice(1);
  const clamped = room > 0 ? clampTop(body, room, theme.dim) : [];
  const all = [...clamped, ...tail];
  return all.length > max ? all.slice(all.length - max) : all;
}
