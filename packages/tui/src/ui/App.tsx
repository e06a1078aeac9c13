import type { ClarifyQuestion, PendingApproval, SessionSummary } from '@hermes/protocol';
import { Box, Static, Text } from 'ink';
import { memo, useMemo } from 'react';
import { approvalLines } from './views/ApprovalPrompt.js';
import { clarifyPickerLines } from './views/ClarifyPicker.js';
import type { ClarifyPick } from './keys/clarify.js';
import { completionLines, type Completion } from './views/Completions.js';
import { inputLines } from './views/InputBox.js';
import { planLines } from './views/PlanPanel.js';
import { pickerLines } from './views/SessionPicker.js';
import { rewindPickerLines } from './views/RewindPicker.js';
import type { RewindPickerState } from './views/rewind-picker-state.js';
import { statusLine } from './views/StatusLine.js';
import type { McpCounts } from '../format/mcp.js';
import { Lines } from './views/shared/Lines.js';
import type { ApprovalSelection } from './keys/approval.js';
import type { Draft } from './keys/editor.js';
import { entryText } from './screen/scrollback-text.js';
import { layoutLive, liveBodyLines } from './screen/live.js';
import { span, type Line } from './text/lines.js';
import type { StaticEntry } from './store/scrollback.js';
import type { SessionSnapshot } from './store/session-store.js';
import { theme } from './theme/theme.js';
import type { ReasoningMode } from './views/messages/assistant.js';

export type BottomMode =
  | {
      kind: 'input';
      draft: Draft;
      completions: { items: Completion[]; index: number } | null;
      placeholder?: string;
    }
  /** Questions the model asked (clarify): the picker takes the input's place. */
  | { kind: 'clarify'; questions: readonly ClarifyQuestion[]; pick: ClarifyPick }
  | { kind: 'approval'; approval: PendingApproval; selection: ApprovalSelection; index: number; count: number }
  | { kind: 'rewind'; state: RewindPickerState }
  | {
      kind: 'picker';
      sessions: SessionSummary[];
      index: number;
      currentId: string;
      filter?: string;
      total?: number | null;
      loading?: boolean;
    };

export interface AppProps {
  snapshot: SessionSnapshot;
  width: number;
  rows: number;
  reasoning: ReasoningMode;
  bottom: BottomMode;
  hint: string | null;
  now: number;
  frame: number;
  /** The plan panel shows only its summary line (ctrl+t). */
  planCollapsed?: boolean;
  /** The session's MCP servers (status line); null until known or without any. */
  mcp?: McpCounts | null;
  /** Leading scrollback entries written to the terminal before Ink started (printScrollback): <Static> skips them. */
  printed?: number;
}

export const StaticEntryView = memo(function StaticEntryView({
  entry,
  width,
  reasoning,
}: {
  entry: StaticEntry;
  width: number;
  reasoning: ReasoningMode;
}) {
  const text = entryText(entry, width, reasoning);
  return text === null ? <Box /> : <Text>{text}</Text>;
});

function bottomLines(b: BottomMode, width: number, maxRows: number): Line[] {
  switch (b.kind) {
    case 'input': {
      // The menu may use what the input does not need (a row, and one for its hint): a third of
      // the room showed one command of 21 on a 15-row screen.
      const menu = b.completions
        ? completionLines(b.completions.items, b.completions.index, width, Math.min(8, Math.max(2, maxRows - 3)))
        : [];
      const room = Math.max(1, maxRows - menu.length);
      return [...inputLines(b.draft, width, room, { placeholder: b.placeholder ?? '' }), ...menu];
    }
    case 'clarify':
      return clarifyPickerLines(b.questions, b.pick, width, maxRows);
    case 'approval':
      return approvalLines(b.approval, b.selection, width, maxRows, { index: b.index, count: b.count });
    case 'rewind':
      return rewindPickerLines(b.state, width, maxRows);
    case 'picker':
      return pickerLines(b.sessions, b.index, b.currentId, width, maxRows, Date.now(), {
        filter: b.filter ?? '',
        total: b.total ?? null,
        loading: b.loading ?? false,
      });
  }
}

/** Columns the transcript is laid out in: one short of the terminal, so no row ever reaches the last column. */
export const contentWidth = (columns: number) => Math.max(20, columns - 1);

/** The whole screen, from state: the scrollback (<Static>) and the clamped live region. */
export function App(p: AppProps) {
  const width = contentWidth(p.width);
  const t = p.snapshot.transcript;
  const bottomMax = Math.max(3, Math.floor((p.rows - 1) * 0.6));
  const live = layoutLive({
    body: liveBodyLines({
      transcript: t,
      commit: p.snapshot.commit,
      width,
      reasoning: p.reasoning,
      now: p.now,
      frame: p.frame,
      waitingSince: p.snapshot.lastEventAt,
    }),
    plan: planLines(t.plan?.todos ?? [], {
      width,
      collapsed: p.planCollapsed ?? false,
      maxRows: Math.max(1, Math.min(10, Math.floor(p.rows / 4))),
      running: t.activeRunId !== null,
    }),
    queued: t.queued,
    bottom: bottomLines(p.bottom, width, bottomMax),
    hint: p.hint ? [span(p.hint, theme.warn)] : null,
    status: statusLine(t, p.snapshot.connection, width, undefined, p.mcp, p.snapshot.defaultModel, p.now),
    width,
    rows: p.rows,
  });
  const printed = p.printed ?? 0;
  const entries = useMemo(
    () => (printed ? p.snapshot.staticEntries.slice(printed) : p.snapshot.staticEntries),
    [p.snapshot.staticEntries, printed],
  );
  return (
    <>
      <Static items={entries}>{(e) => <StaticEntryView key={e.key} entry={e} width={width} reasoning={p.reasoning} />}</Static>
      <Lines lines={live} />
    </>
  );
}
