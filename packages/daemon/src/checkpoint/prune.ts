import fs from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointStoreStatus, CheckpointsPruneResponse, HermesConfig } from '@hermes/protocol';
import { DEFAULT_CHECKPOINTS, ShadowStore, WORKSPACE_FILE } from './store.js';

export interface PruneLimits {
  maxPerSession: number;
  maxAgeDays: number;
  maxTotalMB: number;
}

export function pruneLimits(config: HermesConfig): PruneLimits {
  const c = config.checkpoints;
  return {
    maxPerSession: c?.maxPerSession ?? DEFAULT_CHECKPOINTS.maxPerSession,
    maxAgeDays: c?.maxAgeDays ?? DEFAULT_CHECKPOINTS.maxAgeDays,
    maxTotalMB: c?.maxTotalMB ?? DEFAULT_CHECKPOINTS.maxTotalMB,
  };
}

const GC_TIMEOUT_MS = 10 * 60_000;
const MB = 1024 * 1024;

/** Bytes under a folder (files only; links not followed). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const st = await fs.lstat(path.join(e.parentPath, e.name)).catch(() => null);
    total += st?.size ?? 0;
  }
  return total;
}

interface OpenStore {
  store: ShadowStore;
  workspace: string | null;
}

async function openStores(home: string): Promise<OpenStore[]> {
  const root = path.join(home, 'snapshots');
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const out: OpenStore[] = [];
  for (const name of names.sort()) {
    const dir = path.join(root, name);
    if (
      !(await fs.stat(path.join(dir, 'HEAD')).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const workspace = await fs.readFile(path.join(dir, WORKSPACE_FILE), 'utf8').catch(() => null);
    // Git needs a work tree for no command used here; the store folder stands in when the workspace is unknown or gone.
    const workTree =
      workspace &&
      (await fs.stat(workspace).then(
        (s) => s.isDirectory(),
        () => false,
      ))
        ? workspace
        : dir;
    out.push({ store: new ShadowStore(dir, workTree), workspace });
  }
  return out;
}

/** `hermes checkpoints status`: each store's size and pins. */
export async function checkpointStores(home: string): Promise<CheckpointStoreStatus[]> {
  const out: CheckpointStoreStatus[] = [];
  for (const { store, workspace } of await openStores(home)) {
    const pins = await store.pins().catch(() => []);
    out.push({
      dir: store.dir,
      workspace,
      bytes: await folderBytes(store.dir),
      refs: pins.length,
      sessions: new Set(pins.map((p) => p.session)).size,
    });
  }
  return out;
}

export interface PruneDeps {
  home: string;
  limits: PruneLimits;
  /** Whether a session still exists: the pins of deleted sessions go first. */
  sessionExists(id: string): boolean;
  /** Checked before each store: a run that started meanwhile stops the prune. */
  idle(): boolean;
  now?: number;
}

/**
 * Drops the pins of deleted sessions, those past `maxPerSession` (oldest first) and
 * `maxAgeDays`, collects what nothing pins, and then, while the stores together are over
 * `maxTotalMB`, drops the oldest pins across all stores in proportion to the excess.
 */
export async function pruneCheckpoints(deps: PruneDeps): Promise<CheckpointsPruneResponse> {
  const stores = await openStores(deps.home);
  const now = (deps.now ?? Date.now()) / 1000;
  const sizes = new Map<ShadowStore, number>();
  for (const { store } of stores) sizes.set(store, await folderBytes(store.dir));
  const bytesBefore = [...sizes.values()].reduce((a, b) => a + b, 0);
  let removedRefs = 0;
  const left: { store: ShadowStore; ref: string; time: number }[] = [];
  for (const { store } of stores) {
    if (!deps.idle()) break;
    const pins = await store.pins();
    const drop = new Set<string>();
    const perSession = new Map<string, typeof pins>();
    for (const p of pins) {
      if (!deps.sessionExists(p.session) || now - p.time > deps.limits.maxAgeDays * 86_400) drop.add(p.ref);
      else perSession.set(p.session, [...(perSession.get(p.session) ?? []), p]);
    }
    for (const list of perSession.values()) {
      list.sort((a, b) => b.time - a.time || (a.ref < b.ref ? 1 : -1));
      for (const p of list.slice(deps.limits.maxPerSession)) drop.add(p.ref);
    }
    await store.dropAndCollect([...drop], GC_TIMEOUT_MS);
    removedRefs += drop.size;
    sizes.set(store, await folderBytes(store.dir));
    for (const p of pins) if (!drop.has(p.ref)) left.push({ store, ref: p.ref, time: p.time });
  }
  const budget = deps.limits.maxTotalMB * MB;
  left.sort((a, b) => a.time - b.time);
  for (let round = 0; round < 6 && left.length && deps.idle(); round++) {
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    if (total <= budget) break;
    // Runs are about the same size on average: keep the share that fits, with a margin.
    const keep = Math.floor((left.length * budget * 0.9) / total);
    const dropped = left.splice(0, Math.max(1, left.length - keep));
    const byStore = new Map<ShadowStore, string[]>();
    for (const d of dropped) byStore.set(d.store, [...(byStore.get(d.store) ?? []), d.ref]);
    for (const [store, refs] of byStore) {
      await store.dropAndCollect(refs, GC_TIMEOUT_MS);
      sizes.set(store, await folderBytes(store.dir));
    }
    removedRefs += dropped.length;
  }
  return { removedRefs, bytesBefore, bytesAfter: [...sizes.values()].reduce((a, b) => a + b, 0) };
}
