import type { SandboxLayout } from './layout.js';

/**
 * The bubblewrap command line for one command: a pure function of the resolved layout.
 *
 * Mount order is the policy (a later mount covers an earlier one): the whole root read-only,
 * then a private /tmp, the workspace and extra writable paths, then what stays read-only inside
 * them, then the hidden paths last so nothing re-exposes them. `--unshare-user --disable-userns
 * --cap-drop ALL` so that even a root caller's command cannot unmount a mask or make a nested
 * user namespace that sees under it (sandbox notes §5).
 */
const PROC_READ_ONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/fs', '/proc/acpi', '/proc/scsi'];

export function bwrapArgs(layout: SandboxLayout, emptyFile: string, shell: string, command: string): string[] {
  return bwrapProgramArgs(layout, emptyFile, [shell, '-c', command], true);
}

/** The same sandbox around any program (an MCP server); `statusFd`: report on fd 3 (needs it open). */
export function bwrapProgramArgs(layout: SandboxLayout, emptyFile: string, argv: readonly string[], statusFd: boolean): string[] {
  const args = [
    '--die-with-parent',
    '--new-session',
    '--unshare-user',
    '--disable-userns',
    '--cap-drop',
    'ALL',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
  ];
  if (!layout.network) args.push('--unshare-net');
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  // A root caller's command is host uid 0 (caps dropped or not), and sysctls check only the uid:
  // `echo '|cmd' > /proc/sys/kernel/core_pattern` would run cmd as root on the host at the next
  // crash. bwrap covers only /proc/irq and /proc/bus; these come read-only from the host's /proc
  // (runc's readonlyPaths).
  for (const p of PROC_READ_ONLY) args.push('--ro-bind-try', p, p);
  args.push('--bind', layout.tmp, '/tmp');
  for (const p of layout.programReadOnly ?? []) args.push('--ro-bind', p, p);
  args.push('--bind', layout.workspace, layout.workspace);
  for (const w of layout.writable) args.push('--bind', w, w);
  // A mount point cannot be renamed or removed (EBUSY): the git dir stays where the protections are.
  for (const p of layout.pinned ?? []) args.push('--bind', p, p);
  for (const p of layout.readOnly) args.push('--ro-bind', p, p);
  for (const d of layout.hiddenDirs) args.push('--perms', '0000', '--tmpfs', d, '--remount-ro', d);
  for (const f of layout.hiddenFiles) args.push('--ro-bind', emptyFile, f);
  args.push('--chdir', layout.cwd);
  if (statusFd) args.push('--json-status-fd', '3');
  args.push('--', ...argv);
  return args;
}
