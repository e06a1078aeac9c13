import type { CheckpointsPruneResponse, CheckpointsStatusResponse } from '@hermes/protocol';
import { renderTable } from './table.js';
import { relativeTime } from './time.js';

/** Bytes as people read them: 512 B, 3.4 KB, 12.0 MB, 1.10 GB (powers of 1024, as maxTotalMB is). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** `hermes checkpoints status`: a row per workspace store, then the totals and the limits. */
export function checkpointsStatusText(s: CheckpointsStatusResponse, now = Date.now()): string {
  const out: string[] = [];
  if (!s.enabled) out.push('checkpoints are off (checkpoints.enabled is false): no new snapshots are taken');
  if (s.stores.length === 0) out.push('no checkpoint stores yet (they appear once a run changes files in a workspace)');
  else
    out.push(
      renderTable(
        [
          { header: 'WORKSPACE', max: 60 },
          { header: 'SIZE', align: 'right' },
          { header: 'CHECKPOINTS', align: 'right' },
          { header: 'SESSIONS', align: 'right' },
        ],
        s.stores.map((x) => [x.workspace ?? `(unknown: ${x.dir})`, formatBytes(x.bytes), String(x.refs), String(x.sessions)]),
      ).trimEnd(),
    );
  const l = s.limits;
  out.push(
    `total ${formatBytes(s.totalBytes)} of ${l.maxTotalMB} MB · keeps the newest ${l.maxPerSession} per session, for ${l.maxAgeDays} days · ` +
      (s.lastPrune ? `last pruned ${relativeTime(s.lastPrune, now)}` : 'not pruned yet'),
  );
  return out.join('\n') + '\n';
}

/** `hermes checkpoints prune`. */
export function pruneLine(r: CheckpointsPruneResponse): string {
  const refs = `removed ${r.removedRefs} ${r.removedRefs === 1 ? 'checkpoint' : 'checkpoints'}`;
  return `${refs} · ${formatBytes(r.bytesBefore)} → ${formatBytes(r.bytesAfter)}`;
}
