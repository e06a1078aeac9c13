import type { ApprovalItem, NoticeLevel, RunEndItem } from '@hermes/protocol';
import { span, textLines, type Line } from '../../layout/lines.js';
import { theme } from '../../theme/theme.js';
import { DECISION_LABELS } from '../../keys/approval.js';

const LEVEL = {
  info: { mark: 'ℹ ', style: theme.info },
  warn: { mark: '⚠ ', style: theme.warn },
  error: { mark: '✗ ', style: theme.error },
  plain: { mark: '', style: theme.dim },
} as const;

export function noticeLines(level: NoticeLevel | 'plain', message: string, width: number): Line[] {
  const { mark, style } = LEVEL[level];
  const rows = textLines(message, width - mark.length, style);
  return rows.map((r, i) => [span(i === 0 ? mark : ' '.repeat(mark.length), style), ...r]);
}

const STOP_TEXT: Record<RunEndItem['stopReason'], string> = {
  done: 'done',
  cancelled: 'cancelled',
  error: 'failed',
  interrupted: 'interrupted (the daemon stopped during the run)',
  max_iterations: 'stopped: too many steps',
};

export function runEndLines(item: RunEndItem, width: number): Line[] {
  const level: NoticeLevel = item.stopReason === 'error' ? 'error' : 'warn';
  let text = `run ${STOP_TEXT[item.stopReason]}`;
  if (item.error) text += `: ${item.error.message}${item.error.hint ? `\n${item.error.hint}` : ''}`;
  return noticeLines(level, text, width);
}

export function approvalResultLines(item: ApprovalItem, width: number): Line[] {
  const approved = item.decision !== 'deny';
  const what = item.summary ? ` ${item.tool}: ${item.summary}` : '';
  const text = `${DECISION_LABELS[item.decision]}${what}, by ${item.by}${item.reason ? ` (${item.reason})` : ''}`;
  return textLines(text, width - 2, approved ? theme.ok : theme.error).map((r, i) => [
    span(i === 0 ? (approved ? '✔ ' : '✗ ') : '  ', approved ? theme.ok : theme.error),
    ...r,
  ]);
}
