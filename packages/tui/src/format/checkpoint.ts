import type { CheckpointFile, CheckpointRecord, ForkedFrom, RewindResponse, RewindSkip, Transcript, UserItem } from '@hermes/protocol';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The line under a run that changed files: `3 files changed (+12 −4)`. */
export function filesChangedLine(files: CheckpointFile[]): string {
  const add = files.reduce((a, f) => a + f.additions, 0);
  const del = files.reduce((a, f) => a + f.deletions, 0);
  return `${plural(files.length, 'file', 'files')} changed (+${add} −${del})`;
}

/** The same, with the paths (up to `max`), for the rewind picker and `sessions show`. */
export function filesChangedDetail(files: CheckpointFile[], max = 3): string {
  if (!files.length) return 'no files changed';
  const names = files.slice(0, max).map((f) => f.path);
  const more = files.length > max ? `, +${files.length - max} more` : '';
  return `${filesChangedLine(files)}: ${names.join(', ')}${more}`;
}

/** The files the runs after a user message changed (each path once, its latest counts). */
export function filesAfter(message: Pick<UserItem, 'seq'>, checkpoints: CheckpointRecord[]): CheckpointFile[] {
  const byPath = new Map<string, CheckpointFile>();
  for (const c of checkpoints) if (c.seq > message.seq) for (const f of c.files) byPath.set(f.path, f);
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** What rewinding to a user message would do, for the picker: `restores 2 files: a.ts, b.ts` or `conversation only`. */
export function rewindChoiceDetail(message: Pick<UserItem, 'seq'>, t: Pick<Transcript, 'checkpoints' | 'items'>): string {
  const files = filesAfter(message, t.checkpoints ?? []);
  const messages = t.items.filter((i) => i.kind === 'user' && i.seq >= message.seq).length;
  const hides = `hides ${plural(messages, 'message', 'messages')}`;
  if (!files.length) return `${hides} · no file changes to undo`;
  const names = files
    .slice(0, 3)
    .map((f) => f.path)
    .join(', ');
  return `${hides} · restores ${plural(files.length, 'file', 'files')}: ${names}${files.length > 3 ? `, +${files.length - 3} more` : ''}`;
}

/** What `hermes sessions fork` prints about the new session. */
export function forkCreatedLines(fork: { id: string; title: string; workspace: string }, parentId: string): string {
  return [
    `${fork.id}  ${fork.title}`,
    `  forked from session ${parentId} · same workspace ${fork.workspace}: file edits there affect both sessions`,
    `  continue it: hermes chat --session ${fork.id}`,
  ].join('\n');
}

/** A fork's origin, as the TUI and `sessions show` say it. */
export function forkedFromLine(f: ForkedFrom, workspace: string): string {
  return `forked from session ${f.sessionId} (its first ${f.seq} events) · same workspace ${workspace}: file edits there affect both sessions`;
}

/** Where `sessions show` starts (a rewind's id) or ends (null) a part a rewind hid. */
export function rewoundMark(rewindId: string | null): string {
  return rewindId ? `┄┄ rewound (${rewindId}): hidden from the model ┄┄` : '┄┄ end of the rewound part ┄┄';
}

const quoted = (text: string, max = 50) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return `“${one.length > max ? one.slice(0, max - 1) + '…' : one}”`;
};

const restoredPart = (restored: readonly string[], max = 5) =>
  restored.length === 0
    ? 'no files to restore'
    : `restored ${plural(restored.length, 'file', 'files')}: ${restored.slice(0, max).join(', ')}${restored.length > max ? `, +${restored.length - max} more` : ''}`;

const skippedPart = (skipped: readonly RewindSkip[]) => skipped.map((s) => `\n  kept ${s.path}: ${s.reason}`).join('');

/** What takes a rewind back, where one was asked for (a retry's rewind cannot be). */
export const REDO_HINT = '/redo takes it back';

/** The line every client prints when a rewind happens (`session.rewound`); `text` is the rewound message's; `undo` how to take it back. */
export function rewoundLine(d: Pick<RewindResponse, 'mode' | 'restored' | 'skipped'>, text: string | undefined, undo?: string): string {
  const to = text !== undefined ? ` to before ${quoted(text)}` : '';
  const head =
    d.mode === 'code'
      ? `⟲ files put back as they were before ${text !== undefined ? quoted(text) : 'that message'} (conversation kept)`
      : d.mode === 'conversation'
        ? `⟲ rewound${to}: hidden from the model (files kept)`
        : `⟲ rewound${to}: hidden from the model`;
  return `${head} · ${restoredPart(d.restored)}${undo ? ` · ${undo}` : ''}${skippedPart(d.skipped)}`;
}

/** The line every client prints when a rewind is taken back (`session.unrewound`). */
export function unrewoundLine(d: Pick<RewindResponse, 'restored' | 'skipped'>, messages: number): string {
  return `⟳ redo: ${plural(messages, 'message', 'messages')} back · ${restoredPart(d.restored)}${skippedPart(d.skipped)}`;
}
