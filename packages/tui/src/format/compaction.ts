import { formatTokens } from './tokens.js';
import type { CompactionItem } from '@hermes/protocol';

/** The one wording of a compaction, for the TUI's divider, `send`, `attach` and `sessions show`. */
export function compactionLine(
  item: Pick<CompactionItem, 'trigger' | 'status' | 'tokensBefore' | 'tokensAfter' | 'error' | 'focus'>,
): string {
  switch (item.status) {
    case 'running':
      return `compacting the context (${item.trigger}) · ${formatTokens(item.tokensBefore)} tokens…`;
    case 'completed':
      return `context compacted (${item.trigger}) · ${formatTokens(item.tokensBefore)} → ${formatTokens(item.tokensAfter ?? 0)} tokens`;
    case 'failed':
      return `context not compacted (${item.trigger}): ${item.error?.message ?? 'failed'}`;
  }
}
