import type { RewindResponse } from '@hermes/protocol';

/** What `/undo` tells the user a rewind did. */
export function rewindLine(r: Pick<RewindResponse, 'restored' | 'skipped'>): string {
  const restored =
    r.restored.length === 0
      ? 'no files to restore'
      : `restored ${r.restored.length} ${r.restored.length === 1 ? 'file' : 'files'}: ${r.restored.join(', ')}`;
  const skipped = r.skipped.map((s) => `\n  kept ${s.path}: ${s.reason}`).join('');
  return `rewound · ${restored}${skipped}`;
}
