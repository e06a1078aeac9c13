import type { EventOf, RunError, Todo } from '@hermes/protocol';
import type { ChalkInstance } from 'chalk';
import { PROJECT_APPROVAL_LABELS, PROJECT_APPROVAL_MAX_LINES, PROJECT_APPROVAL_TITLE } from '../../format/mcp.js';
import { planChanges, planSummary, todoRow } from '../../format/plan.js';
import { formatDuration } from '../../format/duration.js';
import { toolLabel, toolSummary } from '../../format/tool.js';
import { sanitize } from '../../format/sanitize.js';

/** One line, at most `max` characters, whitespace folded, no control characters (it goes to a terminal). */
export function oneLine(text: string, max = 100): string {
  const flat = sanitize(text.replace(/\s+/g, ' ')).trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function toolStartedLine(c: ChalkInstance, e: EventOf<'tool.started'>): string {
  const summary = oneLine(toolSummary(e.data), 120);
  return `${c.cyan('⚙')} ${c.bold(toolLabel(e.data.name))}${summary ? `: ${summary}` : ''}`;
}

export function toolCompletedLine(c: ChalkInstance, name: string, e: EventOf<'tool.completed'>): string {
  const d = e.data;
  const time = c.dim(`(${formatDuration(d.durationMs)})`);
  if (d.ok) return `${c.green('✓')} ${name} ${time}`;
  const code = d.exitCode !== undefined && d.exitCode !== null ? ` exit ${d.exitCode}` : '';
  const why = code ? '' : d.result ? `: ${oneLine(d.result, 100)}` : '';
  return `${c.red('✗')} ${name}${code}${why} ${time}`;
}

export function noticeLine(c: ChalkInstance, e: EventOf<'notice'>): string {
  const mark = e.data.level === 'error' ? c.red('!') : e.data.level === 'warn' ? c.yellow('!') : c.dim('·');
  return `${mark} ${sanitize(e.data.message)}`;
}

export function approvalRequestedLines(c: ChalkInstance, e: EventOf<'approval.requested'>): string[] {
  const where = e.data.outsideSandbox ? ` ${c.yellow('(outside the sandbox)')}` : '';
  if (e.data.kind === 'mcp_project') {
    // The whole list: what would run is the question.
    const [head = '', ...servers] = e.data.summary.split('\n');
    const lines = [
      `${c.yellow('?')} ${PROJECT_APPROVAL_TITLE} ${sanitize(head)}`,
      ...servers.slice(0, PROJECT_APPROVAL_MAX_LINES).map((l) => `  ${sanitize(l)}`),
    ];
    if (servers.length > PROJECT_APPROVAL_MAX_LINES) lines.push(`  … ${servers.length - PROJECT_APPROVAL_MAX_LINES} more lines`);
    for (const r of e.data.reasons) lines.push(`  ${c.dim('·')} ${sanitize(r)}`);
    for (const d of e.data.choices) lines.push(`  ${c.dim(`[${d[0]}]${d.slice(1)}`)}: ${PROJECT_APPROVAL_LABELS[d] ?? d}`);
    return lines;
  }
  const lines = [`${c.yellow('?')} approval needed${where}: ${c.bold(e.data.tool)}: ${oneLine(e.data.summary, 200)}`];
  for (const r of e.data.reasons) lines.push(`  ${c.dim('·')} ${sanitize(r)}`);
  return lines;
}

export function approvalResolvedLine(c: ChalkInstance, e: EventOf<'approval.resolved'>): string {
  const { decision, by, reason } = e.data;
  const why = reason ? c.dim(` (${oneLine(reason, 200)})`) : '';
  if (decision === 'deny') return `${c.red('✗')} denied by ${oneLine(by, 100)}${why}`;
  return `${c.green('✓')} approved (${decision}) by ${oneLine(by, 100)}${why}`;
}

/** `hermes: <kind>: <message>` and the hint, as the run's failure is printed. */
export function runErrorLines(error: RunError | undefined, fallback: string): string[] {
  if (!error) return [`hermes: ${fallback}`];
  const lines = [`hermes: ${error.kind}: ${error.message}`];
  if (error.hint) lines.push(`  ${error.hint}`);
  return lines;
}

/**
 * A plan change on stderr: `☰ plan 2/5 · ◐ current` and a row per item that is new, moved or
 * dropped since the last plan this command printed (every item the first time). Nothing when
 * the list is the same.
 */
export function planUpdateLines(c: ChalkInstance, prev: readonly Todo[] | null, next: readonly Todo[]): string[] {
  const changes = planChanges(prev, next);
  if (prev !== null && changes.length === 0 && prev.length === next.length) return [];
  const style = (t: Todo, removed: boolean) =>
    removed ? c.dim : t.status === 'completed' ? c.green : t.status === 'in_progress' ? c.cyan : (s: string) => s;
  return [
    `${c.cyan('☰')} ${planSummary(next)}`,
    ...changes.map(({ todo, change }) => `  ${style(todo, change === 'removed')(todoRow(todo, change === 'removed'))}`),
  ];
}
