import type { CompactionItem } from '@hermes/protocol';

/** 182_400 → "182k", 1_500 → "1.5k", 800 → "800". */
export function tokensShort(n: number): string {
  if (n >= 100_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(n);
}

/** The one wording of a compaction, for the TUI's divider, `send`, `attach` and `sessions show`. */
export function compactionLine(item: Pick<CompactionItem, 'trigger' | 'status' | 'tokensBefore' | 'tokensAfter' | 'error' | 'focus'>): string {
  switch (item.status) {
    case 'running':
      return `compacting the context (${item.trigger}) · ${tokensShort(item.tokensBefore)} tokens…`;
    case 'completed':
      return `context compacted (${item.trigger}) · ${tokensShort(item.tokensBefore)} → ${tokensShort(item.tokensAfter ?? 0)} tokens`;
    case 'failed':
      return `context not compacted (${item.trigger}): ${item.error?.message ?? 'failed'}`;
  }
}
