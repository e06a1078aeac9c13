import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CheckpointRecord, HermesConfig, RewindSkip } from '@hermes/protocol';
import { checkpointLimits } from './run-checkpoint.js';
import { blobId, ShadowStore, storeDir } from './store.js';
import type { TreeEntry } from './parse.js';

export interface CodeRestore {
  restored: string[];
  skipped: RewindSkip[];
  preRestore?: string;
}

/** The object id of what is at `abs` now (a link's target for a symlink), or null when nothing is. */
async function currentId(abs: string): Promise<string | null> {
  const st = await fs.lstat(abs).catch(() => null);
  if (!st) return null;
  if (st.isSymbolicLink()) return blobId(Buffer.from(await fs.readlink(abs)));
  if (!st.isFile()) return 'not-a-file';
  return blobId(await fs.readFile(abs));
}

/** A recorded path inside the workspace, or null when it (or a folder on the way) now leads out. */
async function insidePath(root: string, rel: string): Promise<string | null> {
  const abs = path.resolve(root, rel);
  if (path.isAbsolute(rel) || !abs.startsWith(root + path.sep)) return null;
  let dir = path.dirname(abs);
  // The nearest existing folder must still be inside: a folder swapped for a link to elsewhere is refused.
  for (;;) {
    const real = await fs.realpath(dir).catch(() => null);
    if (real) return real === root || real.startsWith(root + path.sep) ? abs : null;
    dir = path.dirname(dir);
  }
}

async function put(store: ShadowStore, abs: string, entry: TreeEntry): Promise<void> {
  const content = await store.blob(entry.oid);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.hermes-restore-${process.pid}`;
  if (entry.mode === '120000') await fs.symlink(content.toString('utf8'), tmp);
  else await fs.writeFile(tmp, content, { mode: entry.mode === '100755' ? 0o755 : 0o644 });
  // The restored file replaces what is there in one step (a reader never sees half a file).
  await fs.rename(tmp, abs);
}

/**
 * Puts back the paths the undone runs changed, as they were before the earliest of them. A path
 * whose content is no longer what the last run that changed it left (someone else edited it) is
 * skipped unless `force`. Paths no run recorded are never touched.
 */
export async function restoreCode(
  home: string,
  workspace: string,
  config: HermesConfig,
  undone: CheckpointRecord[],
  force: boolean,
): Promise<CodeRestore> {
  if (!undone.length) return { restored: [], skipped: [] };
  const real = await fs.realpath(workspace);
  const store = new ShadowStore(storeDir(home, real), real);
  const runs = [...undone].sort((a, b) => a.seq - b.seq);
  const base = runs[0]!.before;
  /** Each path, with the tree of the last run that changed it. */
  const lastAfter = new Map<string, string>();
  for (const r of runs) for (const f of r.files) lastAfter.set(f.path, r.after);
  const paths = [...lastAfter.keys()].sort();
  const skipped: RewindSkip[] = [];
  const todo: { rel: string; abs: string }[] = [];
  const baseEntries = await store.entries(base, paths);
  const afterEntries = new Map<string, Map<string, TreeEntry>>();
  for (const tree of new Set(lastAfter.values())) {
    afterEntries.set(tree, await store.entries(tree, paths.filter((p) => lastAfter.get(p) === tree)));
  }
  for (const rel of paths) {
    const abs = await insidePath(real, rel);
    if (!abs) {
      skipped.push({ path: rel, reason: 'the path now leads outside the workspace' });
      continue;
    }
    const expected = afterEntries.get(lastAfter.get(rel)!)?.get(rel)?.oid ?? null;
    const now = await currentId(abs);
    if (now === 'not-a-file') {
      skipped.push({ path: rel, reason: 'it is now a folder or a special file' });
      continue;
    }
    if (now === (baseEntries.get(rel)?.oid ?? null)) continue;
    if (now !== expected && !force) {
      skipped.push({ path: rel, reason: 'changed since the agent\'s run (force to restore anyway)' });
      continue;
    }
    todo.push({ rel, abs });
  }
  if (!todo.length) return { restored: [], skipped };
  // The state before the restore is kept, so that a restore can itself be undone.
  const preRestore = await store.snapshot({ ...checkpointLimits(config), timeoutMs: Math.max(checkpointLimits(config).timeoutMs, 30_000) }).catch(() => undefined);
  const restored: string[] = [];
  for (const { rel, abs } of todo) {
    const entry = baseEntries.get(rel);
    try {
      if (entry && entry.mode !== '160000') await put(store, abs, entry);
      else if (!entry) await fs.rm(abs, { force: true });
      else {
        skipped.push({ path: rel, reason: 'a nested repository is not restored' });
        continue;
      }
      restored.push(rel);
    } catch (e) {
      skipped.push({ path: rel, reason: `could not restore: ${e instanceof Error ? e.message.replace(os.homedir(), '~') : String(e)}` });
    }
  }
  return { restored, skipped, ...(preRestore ? { preRestore } : {}) };
}
