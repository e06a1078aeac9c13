import type { ToolItem } from '@hermes/protocol';
import { sanitize, span, wrapLine, type Line } from '../layout/lines.js';
import { theme } from '../theme/theme.js';
import { diffLines } from './Diff.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const OUTPUT_TAIL_LINES = 5;
const DIFF_MAX_LINES = 24;

/** One line about a tool call's arguments: the command, the path, or compact JSON. */
export function argsSummary(args: Record<string, unknown>): string {
  for (const k of ['command', 'cmd', 'path', 'file', 'pattern', 'query', 'url']) {
    const v = args[k];
    if (typeof v === 'string' && v) return v.split('\n')[0]! + (v.includes('\n') ? ' …' : '');
  }
  const json = JSON.stringify(args);
  return json === '{}' ? '' : json;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

function tailLines(text: string, n: number): string[] {
  const lines = sanitize(text).replace(/\n+$/, '').split('\n');
  return lines.slice(Math.max(0, lines.length - n));
}

export interface ToolCardOptions {
  width: number;
  /** For a running tool: how long it has run, and the spinner frame. */
  elapsedMs?: number;
  frame?: number;
  /** The run is waiting on an approval: no spinner (and no timer). */
  paused?: boolean;
}

export function toolLines(tool: ToolItem, o: ToolCardOptions): Line[] {
  const summary = argsSummary(tool.args);
  const head: Line = [];
  if (tool.status === 'running') {
    head.push(span(o.paused ? '◌ ' : `${SPINNER[(o.frame ?? 0) % SPINNER.length]} `, theme.accent));
  } else {
    head.push(span(tool.status === 'ok' ? '✓ ' : '✗ ', tool.status === 'ok' ? theme.ok : theme.error));
  }
  head.push(span(tool.name, tool.status === 'error' ? theme.error : theme.accent));
  if (summary) head.push(span(`  ${summary}`));
  const meta: string[] = [];
  if (tool.status === 'running') {
    if (o.elapsedMs !== undefined && !o.paused) meta.push(formatDuration(o.elapsedMs));
    if (o.paused) meta.push('waiting for approval');
  } else {
    if (tool.exitCode !== undefined && tool.exitCode !== null) meta.push(`exit ${tool.exitCode}`);
    if (tool.durationMs !== undefined) meta.push(formatDuration(tool.durationMs));
  }
  if (meta.length) head.push(span(`  · ${meta.join(' · ')}`, theme.dim));
  const out = wrapLine(head, o.width, [span('    ')]);
  const bar: Line = [span('  │ ', theme.border)];
  if (tool.diff) {
    out.push(...diffLines(tool.diff, o.width, DIFF_MAX_LINES, '  │ '));
  } else {
    const text = tool.output || (tool.status === 'error' ? (tool.result ?? '') : '');
    if (text.trim()) {
      for (const l of tailLines(text, OUTPUT_TAIL_LINES)) {
        // Output rows are cut, not wrapped: a tool card must stay a few rows tall.
        out.push(wrapLine([...bar, span(l, theme.dim)], o.width)[0]!);
      }
    }
  }
  return out;
}
