import fs from 'node:fs/promises';
import type { Transcript } from '@hermes/protocol';
import { ShadowStore, storeDir } from './store.js';

/** The pins (runs, rewinds) a transcript can still need: its checkpoints, the ones its rewinds undid, the rewinds' own. */
export function pinNames(t: Pick<Transcript, 'checkpoints' | 'rewinds'>): Set<string> {
  const names = new Set<string>();
  for (const c of t.checkpoints ?? []) names.add(c.runId);
  for (const r of t.rewinds ?? []) {
    names.add(r.rewindId);
    for (const c of r.undone) names.add(c.runId);
  }
  return names;
}

/** A fork's copies of its parent's pins, so that pruning the parent's away leaves the fork's checkpoints. */
export async function pinsOfFork(home: string, parentId: string, fork: Transcript): Promise<void> {
  const names = pinNames(fork);
  if (!names.size) return;
  const real = await fs.realpath(fork.workspace).catch(() => null);
  if (!real) return;
  await new ShadowStore(storeDir(home, real), real).copyPins(parentId, fork.sessionId, names);
}
