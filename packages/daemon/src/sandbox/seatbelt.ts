import type { SandboxLayout } from './layout.js';

/**
 * The macOS Seatbelt profile for `sandbox-exec -p`: deny by default, read everything but the
 * hidden paths, write only the workspace, the session tmp and `sandbox.writable`, no network.
 * Paths never enter the profile's text: they are `-D` parameters (no quoting to get wrong).
 * SBPL is last-match-wins, so the denies come after the allows they carve out of.
 */
export interface SeatbeltInvocation {
  profile: string;
  /** `-D NAME=value` pairs. */
  params: Record<string, string>;
}

const BASE = `(version 1)
(deny default)
(allow process-exec)
(allow process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))
(allow user-preference-read)
(allow ipc-posix-sem)
(allow ipc-posix-shm-read* (ipc-posix-name-prefix "apple.cfprefs."))
(allow mach-lookup
  (global-name "com.apple.system.opendirectoryd.libinfo")
  (global-name "com.apple.system.opendirectoryd.membership")
  (global-name "com.apple.PowerManagement.control")
  (global-name "com.apple.cfprefsd.daemon")
  (global-name "com.apple.cfprefsd.agent")
  (global-name "com.apple.logd")
  (global-name "com.apple.trustd.agent")
  (local-name "com.apple.cfprefsd.agent"))
(allow sysctl-read)
(allow sysctl-write (sysctl-name "kern.tcsm_enable"))
(allow file-write-data (require-all (path "/dev/null") (vnode-type CHARACTER-DEVICE)))
(allow pseudo-tty)
(allow file-read* file-write* file-ioctl (literal "/dev/ptmx"))
(allow file-ioctl (regex #"^/dev/ttys[0-9]+"))
(allow file-read*)`;

export function seatbeltProfile(layout: SandboxLayout): SeatbeltInvocation {
  const params: Record<string, string> = {};
  const lines = [BASE];
  const name = (prefix: string, i: number, value: string): string => {
    const key = `${prefix}_${i}`;
    params[key] = value;
    return key;
  };
  const writable = [layout.workspace, layout.tmp, ...layout.writable].map((p, i) => `(subpath (param "${name('WRITABLE', i, p)}"))`);
  lines.push(`(allow file-write* ${writable.join(' ')})`);
  if (layout.readOnly.length) {
    const ro = layout.readOnly.map((p, i) => `(subpath (param "${name('READONLY', i, p)}"))`);
    lines.push(`(deny file-write* ${ro.join(' ')})`);
  }
  if (layout.pinned?.length) {
    // Moving a git dir aside is an unlink of its name; without this a fresh .git could replace it.
    const pins = layout.pinned.map((p, i) => `(literal (param "${name('PINNED', i, p)}"))`);
    lines.push(`(deny file-write-unlink ${pins.join(' ')})`);
  }
  const hidden = [
    ...layout.hiddenDirs.map((p, i) => `(subpath (param "${name('HIDDEN_DIR', i, p)}"))`),
    ...layout.hiddenFiles.map((p, i) => `(literal (param "${name('HIDDEN_FILE', i, p)}"))`),
  ];
  if (hidden.length) lines.push(`(deny file-read* file-write* ${hidden.join(' ')})`);
  // No network rule at all when it is off: TCP, UDP and Unix sockets are denied by default.
  if (layout.network) lines.push('(allow network*)', '(allow system-socket)');
  return { profile: lines.join('\n') + '\n', params };
}

/** argv for `/usr/bin/sandbox-exec` (never one found on PATH). */
export function seatbeltArgs(layout: SandboxLayout, shell: string, command: string): string[] {
  const { profile, params } = seatbeltProfile(layout);
  const args = ['-p', profile];
  for (const [k, v] of Object.entries(params)) args.push(`-D${k}=${v}`);
  args.push('--', shell, '-c', command);
  return args;
}
