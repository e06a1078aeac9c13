import type { CheckpointFile, CheckpointRecord, ForkedFrom, Transcript, UserItem } from '@hermes/protocol';

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

/** A fork's origin, as the TUI and `sessions show` say it. */
export function forkedFromLine(f: ForkedFrom, workspace: string): string {
  return `forked from session ${f.sessionId} (its first ${f.seq} events) · same workspace ${workspace}: file edits there affect both sessions`;
}
