import type { ApprovalItem, ClarifyItem, NoticeLevel, RunEndItem } from '@hermes/protocol';
import { plain, sanitize, span, textLines, textWidth, wrapLine, type Line } from '../../text/lines.js';
import { theme, type Style } from '../../theme/theme.js';
import { choiceName } from '../../../format/approval.js';
import { PROJECT_FILE_TOOL, projectApprovalResult } from '../../../format/mcp.js';
import { runEndText } from '../../../format/run-end.js';
import { clarifyResultText } from '../../../format/clarify.js';

const LEVEL = {
  info: { mark: 'ℹ ', style: theme.info },
  warn: { mark: '⚠ ', style: theme.warn },
  error: { mark: '✗ ', style: theme.error },
  plain: { mark: '', style: theme.dim },
} as const;

/**
 * Where a wrapped row of a notice line continues: under the second column of a two-column line
 * (`  /model <name>  set the model`), else under the line's own indent.
 */
function hangingIndent(line: string, width: number): number {
  const twoColumns = /^(\s*\S.*?\s{2,})\S/.exec(line);
  if (twoColumns && twoColumns[1]!.length <= width / 2) return twoColumns[1]!.length;
  return /^\s*/.exec(line)![0].length;
}

/**
 * A two-column line whose second column starts past half the row, when it does not fit: the
 * first column on a row of its own, the second under it, indented (the /help of a narrow screen).
 */
function stacked(line: string, room: number, style: Style): Line[] | null {
  const m = /^(\s*)(\S.*?)\s{2,}(\S.*)$/.exec(line);
  if (!m || textWidth(line) <= room || line.length - m[3]!.length <= room / 2) return null;
  const inner = ' '.repeat(m[1]!.length + 4);
  return [plain(m[1]! + m[2]!, style), ...wrapLine(plain(inner + m[3]!, style), room, [span(inner)])];
}

export function noticeLines(level: NoticeLevel | 'plain', message: string, width: number): Line[] {
  const { mark, style } = LEVEL[level];
  const room = width - mark.length;
  const rows = sanitize(message)
    .split('\n')
    .flatMap((l) => stacked(l, room, style) ?? wrapLine(plain(l, style), room, [span(' '.repeat(hangingIndent(l, room)))]));
  return rows.map((r, i) => [span(i === 0 ? mark : ' '.repeat(mark.length), style), ...r]);
}

export function runEndLines(item: RunEndItem, width: number): Line[] {
  const level: NoticeLevel = item.stopReason === 'error' ? 'error' : 'warn';
  const text = `${runEndText(item.stopReason, item.error)}${item.error?.hint ? `\n${item.error.hint}` : ''}`;
  return noticeLines(level, text, width);
}

export function approvalResultLines(item: ApprovalItem, width: number): Line[] {
  const approved = item.decision !== 'deny';
  const what = item.summary ? ` ${item.tool}: ${item.summary}` : '';
  // A workspace's .mcp.json question (no tool is named so): its own wording, one line.
  const answer =
    item.tool === PROJECT_FILE_TOOL
      ? projectApprovalResult(item.decision, item.summary)
      : `${choiceName({ decision: item.decision, ...(item.pattern !== undefined ? { pattern: item.pattern } : {}) }, undefined)}${what}`;
  const text = `${answer}, by ${item.by}${item.reason ? ` (${item.reason})` : ''}`;
  return textLines(text, width - 2, approved ? theme.ok : theme.error).map((r, i) => [
    span(i === 0 ? (approved ? '✔ ' : '✗ ') : '  ', approved ? theme.ok : theme.error),
    ...r,
  ]);
}

/** A resolved `clarify` question in the scrollback: `? question → answer`. */
export function clarifyResultLines(item: ClarifyItem, width: number): Line[] {
  const answered = item.reason === 'answered';
  const style = answered ? theme.accent : theme.dim;
  return textLines(clarifyResultText(item), width - 2, style).map((r, i) => [span(i === 0 ? '? ' : '  ', style), ...r]);
}
