import type { TranscriptItem } from '@hermes/protocol';
import { assistantLines, type ReasoningMode } from '../views/messages/assistant.js';
import { approvalResultLines, clarifyResultLines, noticeLines, runEndLines } from '../views/messages/notice.js';
import { userLines } from '../views/messages/user.js';
import { toolLines } from '../views/ToolCard.js';
import { continuedAt, type StaticEntry } from '../store/scrollback.js';
import { compactionLine } from '../../format/compaction.js';
import { STEER_MARKER } from '../../format/delivery.js';
import { filesChangedLine } from '../../format/checkpoint.js';
import { theme } from '../theme/theme.js';
import { plain, type Line } from '../text/lines.js';

/** A finished transcript item (or what is left of it after `from` characters were committed). */
export function itemLines(item: TranscriptItem, width: number, reasoning: ReasoningMode, from = 0, join = false): Line[] {
  switch (item.kind) {
    case 'user':
      return [[], ...userLines(item.text, width, item.delivery === 'steer' ? STEER_MARKER : undefined)];
    case 'assistant': {
      const lines = assistantLines({
        text: item.text.slice(from),
        reasoning: from === 0 ? item.reasoning : '',
        mode: reasoning,
        width,
        continued: continuedAt(from, join),
      });
      return from === 0 && lines.length > 0 ? [[], ...lines] : lines;
    }
    case 'tool':
      return toolLines(item, { width });
    case 'notice':
      return noticeLines(item.level, item.message, width);
    case 'run_end':
      return runEndLines(item, width);
    case 'approval':
      return approvalResultLines(item, width);
    case 'clarify':
      return clarifyResultLines(item, width);
    case 'compaction':
      return [plain(`✻ ${compactionLine(item)}`.slice(0, Math.max(1, width)), item.status === 'failed' ? theme.warn : theme.dim)];
    case 'changes':
      return [[], plain(`± ${filesChangedLine(item.files)}`.slice(0, Math.max(1, width)), theme.dim)];
  }
}

/** What one scrollback entry prints. */
export function entryLines(e: StaticEntry, width: number, reasoning: ReasoningMode): Line[] {
  switch (e.kind) {
    case 'item':
      return itemLines(e.item, width, reasoning, e.from, e.join);
    case 'chunk': {
      const lines = assistantLines({
        text: e.text,
        reasoning: e.reasoning,
        mode: reasoning,
        width,
        continued: continuedAt(e.from, e.join),
      });
      return e.from === 0 && lines.length > 0 ? [[], ...lines] : lines;
    }
    case 'local':
      return noticeLines(e.level, e.text, width);
    case 'expanded':
      return [[], ...toolLines(e.item, { width, full: true })];
  }
}
