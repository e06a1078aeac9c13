// Things on the host that sandboxed commands must not reach: TCP/UDP listeners, a daemon-like
// HTTP server that wants the token, Unix sockets (abstract, and one in the hidden HERMES_HOME),
// and a long-lived process that carries a secret in its environment.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';

export interface HostTargets {
  tcpPort: number;
  udpPort: number;
  daemonPort: number;
  abstractName: string;
  /** Starts a listener on a Unix socket path (in the hidden HERMES_HOME, in /run/dbus). */
  listenUnix(path: string): Promise<void>;
  /** Non-loopback IPv4 addresses of the host (the TCP listener is on 0.0.0.0). */
  hostIps: string[];
  /** What reached each target since the last `reset()`. */
  hits(): string[];
  reset(): void;
  close(): Promise<void>;
}

function listen(server: net.Server | http.Server, ...args: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    (server.listen as (...a: unknown[]) => void)(...args, () => resolve());
  });
}

export async function startHostTargets(nonce: string, daemonToken: () => string): Promise<HostTargets> {
  let hits: string[] = [];
  const tcp = net.createServer((s) => {
    hits.push(`tcp connection from ${s.remoteAddress}`);
    s.destroy();
  });
  await listen(tcp, 0, '0.0.0.0');
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m) => hits.push(`udp datagram: ${m.toString().slice(0, 40)}`));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  // Stands in for the daemon: any request at all is a failure, and one with the token is the worst.
  const daemon = http.createServer((req, res) => {
    const authed = req.headers.authorization === `Bearer ${daemonToken()}`;
    hits.push(`daemon request ${req.method} ${req.url} ${authed ? 'WITH THE TOKEN' : 'without the token'}`);
    res.writeHead(authed ? 200 : 401, { 'content-type': 'application/json' }).end(authed ? '{"sessions":[]}' : '{"error":"unauthorized"}');
  });
  await listen(daemon, 0, '127.0.0.1');
  const abstractName = `hermes-canary-${nonce}`;
  const abstract = net.createServer((s) => {
    hits.push('abstract unix socket connection');
    s.destroy();
  });
  await listen(abstract, `\0${abstractName}`);
  const unixServers: net.Server[] = [];
  const hostIps = Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
    .map((i) => i.address);
  return {
    tcpPort: (tcp.address() as net.AddressInfo).port,
    udpPort: udp.address().port,
    daemonPort: (daemon.address() as net.AddressInfo).port,
    abstractName,
    listenUnix: (p: string) => {
      const server = net.createServer((s) => {
        hits.push(`unix socket connection: ${p}`);
        s.destroy();
      });
      unixServers.push(server);
      return listen(server, p);
    },
    hostIps,
    hits: () => [...hits],
    reset: () => {
      hits = [];
    },
    close: async () => {
      udp.close();
      await Promise.all([tcp, daemon, abstract, ...unixServers].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/** A process on the host that `kill -9 -1` and friends must not reach; its environ holds a secret. */
export function startCanaryProcess(secret: string): ChildProcess {
  return spawn('/bin/sleep', ['3600'], { env: { PATH: '/usr/bin:/bin', HERMES_CANARY_DAEMON_KEY: secret }, stdio: 'ignore' });
}

export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** Host pids whose command line contains `marker` (zombies excluded). */
export function hostProcessesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker) && alive(Number(name))) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds or `ms` pass; returns the time it took, or null. */
export async function within(ms: number, cond: () => boolean): Promise<number | null> {
  const start = Date.now();
  for (;;) {
    if (cond()) return Date.now() - start;
    if (Date.now() - start > ms) return null;
    await sleep(50);
  }
}
