import { readdir, readFile, readlink } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { anyToolProcessStarted, carriesToolMark, isToolRoot, processStartTime } from '../tool/processes.js';

/**
 * Who is on the other end of a loopback connection, from `/proc` (Linux): the socket's inode
 * from `/proc/net/tcp{,6}`, the process holding it from `/proc/<pid>/fd`, then its parents.
 * Used to refuse every request from a process the daemon started for a tool.
 */
export interface Peer {
  pid: number;
  /** `comm` of the process: what the daemon knows of the client besides its own claim. */
  program: string;
  fromTool: boolean;
}

const hexPort = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');

/** The inode of the client's end: the entry whose local port is the client's and remote port ours. */
export function socketInode(table: string, clientPort: number, daemonPort: number): string | null {
  const local = `:${hexPort(clientPort)}`;
  const remote = `:${hexPort(daemonPort)}`;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    if (f[1]!.endsWith(local) && f[2]!.endsWith(remote)) return f[9]!;
  }
  return null;
}

/** Whether process `pid` holds the socket; false when it is gone or not ours to read. */
async function holds(pid: string, target: string): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.includes(target);
}

/**
 * The process holding socket `inode`. Newest processes first, a batch at a time: the client
 * that just connected is almost always among the most recently started.
 */
async function ownerOf(inode: string): Promise<number | null> {
  const target = `socket:[${inode}]`;
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));
  } catch {
    return null;
  }
  const BATCH = 16;
  for (let i = 0; i < pids.length; i += BATCH) {
    const batch = pids.slice(i, i + BATCH);
    const found = await Promise.all(batch.map((pid) => holds(pid, target)));
    const at = found.indexOf(true);
    if (at >= 0) return Number(batch[at]);
  }
  return null;
}

interface StatFields {
  ppid: number;
  sid: number;
  comm: string;
  start: string | null;
}

async function statOf(pid: number): Promise<StatFields | null> {
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const rest = s.slice(close + 2).split(' ');
    return { comm: s.slice(s.indexOf('(') + 1, close), ppid: Number(rest[1]), sid: Number(rest[3]), start: rest[19] ?? null };
  } catch {
    return null;
  }
}

/**
 * True when `pid` carries the tool mark (see `tool/processes.ts`), or it or an ancestor is a
 * tool process, or its session is one a tool started.
 */
async function descendsFromTool(pid: number): Promise<boolean> {
  if (carriesToolMark(await readFile(`/proc/${pid}/limits`, 'utf8').catch(() => ''))) return true;
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth++) {
    const st = await statOf(current);
    if (!st) return false;
    if (isToolRoot(current, st.start)) return true;
    if (st.sid > 1 && st.sid !== current && isToolRoot(st.sid, await processStartTime(st.sid))) return true;
    current = st.ppid;
  }
  return false;
}

async function identify(clientPort: number, daemonPort: number, claimedPid: number | undefined): Promise<Peer | null> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((p) => readFile(p, 'utf8').catch(() => '')));
  const inode = tables.map((t) => socketInode(t, clientPort, daemonPort)).find((i) => i !== null && i !== '0');
  if (!inode) return null;
  // The client's claim is checked, never trusted: a wrong one costs the full scan.
  const claimed = claimedPid !== undefined && (await holds(String(claimedPid), `socket:[${inode}]`));
  const pid = claimed ? claimedPid : await ownerOf(inode);
  if (pid === null) return null;
  const st = await statOf(pid);
  return { pid, program: st?.comm ?? '?', fromTool: await descendsFromTool(pid) };
}

const peers = new WeakMap<Socket, Promise<Peer | null>>();

/**
 * The peer of a connection, looked up once per connection (clients keep theirs alive). Skipped
 * (null) off Linux, and while no tool process was ever started: nothing can descend from one.
 */
export function peerOf(socket: Socket, daemonPort: number, claimedPid?: string | string[]): Promise<Peer | null> {
  let p = peers.get(socket);
  if (!p) {
    const port = socket.remotePort;
    const claim = typeof claimedPid === 'string' && /^\d{1,9}$/.test(claimedPid) ? Number(claimedPid) : undefined;
    p = process.platform !== 'linux' || port === undefined ? Promise.resolve(null) : identify(port, daemonPort, claim).catch(() => null);
    peers.set(socket, p);
  }
  return p;
}

/** A cheap check first: until a tool has run, no peer can be one of its descendants. */
export async function isFromTool(socket: Socket, daemonPort: number, claimedPid?: string | string[]): Promise<boolean> {
  if (!anyToolProcessStarted()) return false;
  return (await peerOf(socket, daemonPort, claimedPid))?.fromTool ?? false;
}
