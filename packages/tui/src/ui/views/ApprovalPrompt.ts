import type { PendingApproval } from '@hermes/protocol';
import { span, textLines, wrapLine, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';
import { choiceKey, type ApprovalSelection } from '../keys/approval.js';
import { choiceName, offeredChoices } from '../../format/approval.js';
import { diffLines } from './Diff.js';
import { PROJECT_APPROVAL_TITLE } from '../../format/mcp.js';

/**
 * The inline approval prompt that takes the input's place. Its strings are stable on purpose:
 * scripts that drive the TUI through tmux read them.
 */
export function approvalLines(
  p: PendingApproval,
  selection: ApprovalSelection,
  width: number,
  maxRows: number,
  position: { index: number; count: number },
): Line[] {
  const out: Line[] = [];
  const bar: Line = [span('│ ', theme.warn)];
  const count = position.count > 1 ? ` (${position.index + 1} of ${position.count})` : '';
  const loop = p.kind === 'loop_guard';
  const project = p.kind === 'mcp_project';
  out.push([
    span('╭ ', theme.warn),
    span(`${loop ? 'Stuck in a loop?' : project ? PROJECT_APPROVAL_TITLE : 'Approval needed'}${count}`, theme.warn),
    span(` · ${p.tool}`, theme.dim),
    ...(p.outsideSandbox ? [span(' · outside the sandbox', theme.warn)] : []),
  ]);
  const choices = offeredChoices(p);
  const footer: Line[] = [];
  choices.forEach((c, i) => {
    const selected = selection === i;
    const d = c.decision;
    const key = choiceKey(c, choices);
    const name = choiceName(c, p.kind);
    const rule = c.pattern ?? (d !== 'once' && d !== 'deny' ? p.pattern : undefined);
    const label = `${i + 1}. ${name}${key ? ` (${key})` : ''}${rule ? `: ${rule}` : ''}`;
    footer.push(
      ...wrapLine([...bar, span(selected ? '› ' : '  ', theme.selected), span(label, selected ? theme.selected : undefined)], width, [
        ...bar,
        span('    '),
      ]),
    );
  });
  const keys = `${choices.flatMap((c) => choiceKey(c, choices) ?? []).join('/')} or 1–${choices.length}`;
  footer.push([
    span('╰ ', theme.warn),
    span(selection === null ? `${keys} to answer · ↑↓ then Enter · Esc denies` : 'Enter confirms · Esc denies', theme.dim),
  ]);
  const body: Line[] = [];
  body.push(...textLines(p.tool === 'terminal' ? `$ ${p.summary}` : p.summary, width - 2, theme.code).map((l) => [...bar, ...l]));
  for (const r of p.reasons) body.push(...textLines(`why: ${r}`, width - 2, theme.warn).map((l) => [...bar, ...l]));
  const room = Math.max(2, maxRows - out.length - footer.length);
  if (p.diff) {
    const diffRoom = Math.max(1, room - body.length);
    body.push(...diffLines(p.diff, width, diffRoom, '│ ').map((l) => [span('', theme.warn), ...l]));
  }
  out.push(
    ...(body.length > room ? [...body.slice(0, room - 1), [...bar, span(`… ${body.length - room + 1} more lines`, theme.dim)]] : body),
  );
  out.push(...footer);
  return out;
}
