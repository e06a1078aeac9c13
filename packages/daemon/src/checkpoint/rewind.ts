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
  // One name per path, not per process: a restore killed between the write and the rename
  // leaves this file behind, and the rewind done again after the restart (that path is not back
  // yet) writes the same name and renames it away, so the workspace ends exactly as it was.
  const tmp = `${abs}.hermes-restore`;
  await fs.rm(tmp, { force: true });
  if (entry.mode === '120000') await fs.symlink(content.toString('utf8'), tmp);
  // O_EXCL: never through a link planted at that name.
  else await fs.writeFile(tmp, content, { mode: entry.mode === '100755' ? 0o755 : 0o644, flag: 'wx' });
  // The restored file replaces what is there in one step (a reader never sees half a file).
  await fs.rename(tmp, abs);
}

/** Each path, what should be there now (null: nothing) and what to put there. */
interface PutBack {
  rel: string;
  expected: string | null;
  target: TreeEntry | undefined;
}

/**
 * Writes each path's target, skipping a path whose content is no longer what is expected
 * (someone else edited it) unless `force`. A path already at its target is left alone. The
 * workspace tree just before is snapshotted first (and returned), so the step can be undone.
 */
async function putBack(
  store: ShadowStore,
  real: string,
  config: HermesConfig,
  plan: PutBack[],
  force: boolean,
  pinRef?: string,
): Promise<CodeRestore> {
  const skipped: RewindSkip[] = [];
  const todo: { rel: string; abs: string; target: TreeEntry | undefined }[] = [];
  for (const { rel, expected, target } of plan) {
    const abs = await insidePath(real, rel);
    if (!abs) {
      skipped.push({ path: rel, reason: 'the path now leads outside the workspace' });
      continue;
    }
    const now = await currentId(abs);
    if (now === 'not-a-file') {
      skipped.push({ path: rel, reason: 'it is now a folder or a special file' });
      continue;
    }
    if (now === (target?.oid ?? null)) continue;
    if (now !== expected && !force) {
      skipped.push({ path: rel, reason: "changed since the agent's run (force to restore anyway)" });
      continue;
    }
    todo.push({ rel, abs, target });
  }
  if (!todo.length) return { restored: [], skipped };
  const limits = checkpointLimits(config);
  const preRestore = await store.snapshot({ ...limits, timeoutMs: Math.max(limits.timeoutMs, 30_000) }).catch(() => undefined);
  // Pinned so that a prune never drops what an unrewind needs.
  if (preRestore && pinRef) await store.pinTree(pinRef, preRestore).catch(() => {});
  const restored: string[] = [];
  for (const { rel, abs, target } of todo) {
    try {
      if (target && target.mode !== '160000') await put(store, abs, target);
      else if (!target) await fs.rm(abs, { force: true });
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

/** Why a path is left as it is when the checkpoint that would restore it is gone. */
export const PRUNED_REASON = 'its checkpoint was pruned (see checkpoints.maxTotalMB, maxPerSession, maxAgeDays)';

const allPruned = (paths: string[]): CodeRestore => ({ restored: [], skipped: paths.map((path) => ({ path, reason: PRUNED_REASON })) });

async function openStore(home: string, workspace: string): Promise<{ store: ShadowStore; real: string }> {
  const real = await fs.realpath(workspace);
  return { store: new ShadowStore(storeDir(home, real), real), real };
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
  pinRef?: string,
): Promise<CodeRestore> {
  if (!undone.length) return { restored: [], skipped: [] };
  const { store, real } = await openStore(home, workspace);
  const runs = [...undone].sort((a, b) => a.seq - b.seq);
  /** Each path, with the tree of the last run that changed it. */
  const lastAfter = new Map<string, string>();
  for (const r of runs) for (const f of r.files) lastAfter.set(f.path, r.after);
  const paths = [...lastAfter.keys()].sort();
  if (!(await store.hasTrees([runs[0]!.before, ...lastAfter.values()]))) return allPruned(paths);
  const baseEntries = await store.entries(runs[0]!.before, paths);
  const afterEntries = new Map<string, Map<string, TreeEntry>>();
  for (const tree of new Set(lastAfter.values())) {
    afterEntries.set(
      tree,
      await store.entries(
        tree,
        paths.filter((p) => lastAfter.get(p) === tree),
      ),
    );
  }
  const plan = paths.map((rel) => ({
    rel,
    expected: afterEntries.get(lastAfter.get(rel)!)?.get(rel)?.oid ?? null,
    target: baseEntries.get(rel),
  }));
  return putBack(store, real, config, plan, force, pinRef);
}

/**
 * Takes a code rewind back: the paths it restored go back to what they were in its `preRestore`
 * tree. A path changed since the rewind put it back is skipped unless `force`.
 */
export async function unrestoreCode(
  home: string,
  workspace: string,
  config: HermesConfig,
  rewind: { restored: string[]; preRestore: string; undone: CheckpointRecord[] },
  force: boolean,
): Promise<CodeRestore> {
  if (!rewind.restored.length || !rewind.undone.length) return { restored: [], skipped: [] };
  const { store, real } = await openStore(home, workspace);
  const paths = [...rewind.restored].sort();
  const base = [...rewind.undone].sort((a, b) => a.seq - b.seq)[0]!.before;
  if (!(await store.hasTrees([base, rewind.preRestore]))) return allPruned(paths);
  const [put, target] = await Promise.all([store.entries(base, paths), store.entries(rewind.preRestore, paths)]);
  const plan = paths.map((rel) => ({ rel, expected: put.get(rel)?.oid ?? null, target: target.get(rel) }));
  const r = await putBack(store, real, config, plan, force);
  return { restored: r.restored, skipped: r.skipped };
}
