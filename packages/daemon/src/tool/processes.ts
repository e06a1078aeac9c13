import { readFile } from 'node:fs/promises';

/**
 * The processes the daemon started for tools (terminal commands, later MCP servers). The
 * server refuses requests from them and from their descendants: the agent must never act as
 * the user (answer its own approvals, change the config). Tools are started as session
 * leaders (`detached`), so a descendant that was re-parented to init is still known by its
 * session id. Start times guard against a pid reused by an unrelated process.
 */
const MAX_REMEMBERED = 4096;
const roots = new Map<number, string | null>();

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
