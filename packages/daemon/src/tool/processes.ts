import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * The processes the daemon started for tools (terminal commands, later MCP servers). The
 * server refuses requests from them and from every descendant: the agent must never act as
 * the user (answer its own approvals, change the config).
 *
 * Two marks, because a parent chain alone is easy to leave (`(setsid nohup x &)` re-parents x
 * to init in a new session):
 * - the roots' pids (with start times, against pid reuse), for the parent-chain check;
 * - a lowered *hard* limit on POSIX message queue bytes, set before the tool's program starts.
 *   An unprivileged process can lower a hard limit but never raise it, so every descendant,
 *   however detached, carries a hard limit at or below the mark. Nobody uses the few bytes.
 */
const MAX_REMEMBERED = 4096;
const roots = new Map<number, string | null>();
const LIMIT_NAME = 'Max msgqueue size';

/** The hard limit in `/proc/<pid>/limits` text: a number, `Infinity` for unlimited, null if absent. */
export function hardMsgqueueLimit(limits: string): number | null {
  const line = limits.split('\n').find((l) => l.startsWith(LIMIT_NAME));
  if (!line) return null;
  const hard = line.slice(LIMIT_NAME.length).trim().split(/\s+/)[1];
  if (hard === 'unlimited') return Infinity;
  const n = Number(hard);
  return Number.isFinite(n) ? n : null;
}

function computeMark(): number | null {
  if (process.platform !== 'linux' || !existsSync('/bin/bash')) return null;
  try {
    const hard = hardMsgqueueLimit(readFileSync('/proc/self/limits', 'utf8'));
    if (hard === null) return null;
    if (hard === Infinity) return 1_000_000_007;
    return hard >= 64 ? hard - 7 : null;
  } catch {
    return null;
  }
}

/** The hard limit tool processes get; null where it cannot be used (not Linux, no procfs). */
export const TOOL_MARK: number | null = computeMark();

/**
 * `file args` started through bash so that the mark is set before `file` runs (Node's spawn
 * cannot set limits). Without bash or a mark, the command is returned as it is.
 */
export function markedSpawn(file: string, args: readonly string[], bash = '/bin/bash'): { file: string; args: string[] } {
  if (TOOL_MARK === null) return { file, args: [...args] };
  // Also closes every descriptor above 3 that the daemon itself inherited (Node passes those on):
  // a tool must not write into a pipe of whoever started the daemon.
  const script = `ulimit -S -H -q ${TOOL_MARK} 2>/dev/null; for f in /proc/$$/fd/*; do f=\${f##*/}; [ "$f" -gt 3 ] 2>/dev/null && eval "exec $f>&-" 2>/dev/null; done; exec "$@"`;
  return { file: bash, args: ['-c', script, 'hermes-tool', file, ...args] };
}

/** True when the limits text of a process carries the tool mark. */
export function carriesToolMark(limits: string): boolean {
  if (TOOL_MARK === null) return false;
  const hard = hardMsgqueueLimit(limits);
  return hard !== null && hard <= TOOL_MARK;
}

/** Field 22 of `/proc/<pid>/stat` (start time in clock ticks); null where there is no procfs. */
export async function processStartTime(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function trackToolProcess(pid: number | undefined): void {
  if (pid === undefined) return;
  roots.set(pid, null);
  void processStartTime(pid).then((t) => {
    if (roots.has(pid)) roots.set(pid, t);
  });
  if (roots.size > MAX_REMEMBERED) roots.delete(roots.keys().next().value!);
}

/** True when `pid` (with its start time, when known) is a process started for a tool. */
export function isToolRoot(pid: number, startTime: string | null): boolean {
  if (!roots.has(pid)) return false;
  const known = roots.get(pid);
  return known == null || startTime == null || known === startTime;
}

export function anyToolProcessStarted(): boolean {
  return roots.size > 0;
}
