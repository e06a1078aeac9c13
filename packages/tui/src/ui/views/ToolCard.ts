import type { ToolItem } from '@hermes/protocol';
import { formatDuration } from '../../format/duration.js';
import { toolLabel, toolSummary } from '../../format/tool.js';
import { truncate } from '../../format/width.js';
import { lineWidth, sanitize, span, textWidth, wrapLine, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';
import { diffLines } from './Diff.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const OUTPUT_TAIL_LINES = 5;
const DIFF_MAX_LINES = 24;

const FULL_MAX_LINES = 2000;

export interface ToolCardOptions {
  width: number;
  /** For a running tool: how long it has run, and the spinner frame. */
  elapsedMs?: number;
  frame?: number;
  /** The run is waiting on an approval: no spinner (and no timer). */
  paused?: boolean;
  /** Ctrl+O: every output line (up to a bound) and the whole diff. */
  full?: boolean;
}

/** What a finished read or search found, for its header: `120 lines`, `14 matches`. */
export function resultCount(tool: ToolItem): string | null {
  if (tool.status !== 'ok' || !tool.result) return null;
  const rows = tool.result.replace(/\n+$/, '').split('\n');
  if (tool.name === 'read_file') {
    const total = /\((\d+) total\)/.exec(rows.at(-1) ?? '');
    if (/ is empty\.$/.test(tool.result)) return 'empty';
    return total ? `${rows.length - 1} of ${total[1]} lines` : `${rows.length} line${rows.length === 1 ? '' : 's'}`;
  }
  if (tool.name === 'search_files') {
    if (/^No (matches|files) for /.test(tool.result)) return 'no matches';
    const n = rows.filter((r) => r && !r.startsWith('[')).length;
    const files = tool.args.target === 'files';
    return `${n}${/^\[.*(truncated|more)/i.test(rows.at(-1) ?? '') ? '+' : ''} ${files ? 'file' : 'match'}${n === 1 ? '' : files ? 's' : 'es'}`;
  }
  return null;
}

/** A row cut to the width, with `…` where it was cut. */
function cutRow(prefix: Line, text: string, width: number): Line {
  const room = width - lineWidth(prefix);
  return [...prefix, span(textWidth(text) > room ? truncate(text, room) : text, theme.dim)];
}

export function toolLines(tool: ToolItem, o: ToolCardOptions): Line[] {
  const summary = toolSummary(tool);
  const head: Line = [];
  if (tool.status === 'running') {
    head.push(span(o.paused ? '◌ ' : `${SPINNER[(o.frame ?? 0) % SPINNER.length]} `, theme.accent));
  } else {
    head.push(span(tool.status === 'ok' ? '✓ ' : '✗ ', tool.status === 'ok' ? theme.ok : theme.error));
  }
  head.push(span(toolLabel(tool.name), tool.status === 'error' ? theme.error : theme.accent));
  if (summary) head.push(span(`  ${summary}`));
  const meta: string[] = [];
  if (tool.status === 'running') {
    if (o.elapsedMs !== undefined && !o.paused) meta.push(formatDuration(o.elapsedMs));
    if (o.paused) meta.push('waiting for approval');
  } else {
    const count = resultCount(tool);
    if (count) meta.push(count);
    if (tool.exitCode !== undefined && tool.exitCode !== null) meta.push(`exit ${tool.exitCode}`);
    if (tool.durationMs !== undefined) meta.push(formatDuration(tool.durationMs));
  }
  if (meta.length) head.push(span(`  · ${meta.join(' · ')}`, theme.dim));
  const out = wrapLine(head, o.width, [span('    ')]);
  const bar: Line = [span('  │ ', theme.border)];
  if (tool.diff) {
    out.push(...diffLines(tool.diff, o.width, o.full ? FULL_MAX_LINES : DIFF_MAX_LINES, '  │ '));
    return out;
  }
  const text = tool.output || (tool.status === 'error' ? (tool.result ?? '') : '');
  if (!text.trim()) return out;
  const lines = sanitize(text).replace(/\n+$/, '').split('\n');
  const keep = o.full ? FULL_MAX_LINES : OUTPUT_TAIL_LINES;
  const hidden = Math.max(0, lines.length - keep);
  if (hidden > 0) {
    const how = o.full ? `the first ${hidden} not shown` : `${hidden} line${hidden === 1 ? '' : 's'} hidden · Ctrl+O shows all`;
    out.push(cutRow(bar, `… ${how}`, o.width));
  }
  // Output rows are cut, not wrapped: a tool card must stay a few rows tall.
  for (const l of lines.slice(hidden)) out.push(cutRow(bar, l, o.width));
  return out;
}
