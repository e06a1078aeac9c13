import { span, textLines, type Line } from '../../text/lines.js';
import { renderMarkdown } from '../../markdown/markdown.js';
import type { Continued } from '../../store/scrollback.js';
import { theme } from '../../theme/theme.js';

const INDENT: Line = [span('  ')];

/** How the model's reasoning shows: a few lines (the default), in full, or not at all (`/reasoning`). */
export type ReasoningMode = 'collapsed' | 'full' | 'hidden';
/** Rows of reasoning a collapsed block keeps. */
export const REASONING_COLLAPSED_ROWS = 3;

/**
 * The reasoning block. Collapsed, a finished block keeps its first rows and says how many more
 * there are; a streaming one (`live`) shows its newest rows, so it is visibly moving.
 */
export function reasoningLines(reasoning: string, width: number, mode: ReasoningMode = 'full', live = false): Line[] {
  if (!reasoning.trim() || mode === 'hidden') return [];
  let rows = textLines(reasoning.trim(), width, theme.reasoning, [span('  ')]).map((l) => [span('  '), ...l]);
  const head: Line = [span('  thinking', theme.reasoning)];
  if (mode === 'collapsed' && rows.length > REASONING_COLLAPSED_ROWS) {
    const hidden = rows.length - REASONING_COLLAPSED_ROWS;
    rows = live ? rows.slice(-REASONING_COLLAPSED_ROWS) : rows.slice(0, REASONING_COLLAPSED_ROWS);
    head.push(span(` (${hidden} more line${hidden === 1 ? '' : 's'} · /reasoning full shows all)`, theme.dim));
  }
  return [head, ...rows];
}

/** An assistant reply (or a chunk of one): dimmed reasoning first when shown, then markdown. */
export function assistantLines(opts: {
  text: string;
  reasoning?: string;
  mode: ReasoningMode;
  width: number;
  continued?: Continued | undefined;
  live?: boolean;
}): Line[] {
  const out: Line[] = [];
  if (opts.reasoning) out.push(...reasoningLines(opts.reasoning, opts.width - 2, opts.mode, opts.live));
  const body = renderMarkdown(opts.text, opts.width, INDENT, opts.continued);
  if (body.length > 0 && out.length > 0) out.push([]);
  out.push(...body);
  return out;
}
