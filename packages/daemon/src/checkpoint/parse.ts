import type { CheckpointFile } from '@hermes/protocol';

/**
 * One line of a git exclude file that matches exactly this workspace-relative path: anchored,
 * with the pattern characters escaped (a file named `*.c` must not exclude every C file).
 */
export function literalExcludeLine(path: string): string {
  const escaped = path.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
  return `/${escaped}`;
}

/** Folds `diff-tree -z --numstat` and `--name-status` output into one list of changed files. */
export function changedFiles(numstat: string[], nameStatus: string[]): CheckpointFile[] {
  const counts = new Map<string, { additions: number; deletions: number }>();
  for (const field of numstat) {
    const m = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(field);
    if (!m) continue;
    counts.set(m[3]!, { additions: m[1] === '-' ? 0 : Number(m[1]), deletions: m[2] === '-' ? 0 : Number(m[2]) });
  }
  const files: CheckpointFile[] = [];
  for (let i = 0; i + 1 < nameStatus.length; i += 2) {
    const code = nameStatus[i]!;
    const path = nameStatus[i + 1]!;
    const status = code.startsWith('A') ? 'added' : code.startsWith('D') ? 'deleted' : 'modified';
    files.push({ path, status, ...(counts.get(path) ?? { additions: 0, deletions: 0 }) });
  }
  return files;
}

/** `ls-tree -z` entries: mode, type, object id and path. */
export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

export function treeEntries(fields: string[]): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const f of fields) {
    const tab = f.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = f.slice(0, tab).split(' ');
    if (!mode || !type || !oid) continue;
    out.push({ mode, type, oid, path: f.slice(tab + 1) });
  }
  return out;
}
