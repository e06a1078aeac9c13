import { execFile, spawn } from 'node:child_process';
import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

import path from 'node:path';
import { bwrapArgs } from './bwrap.js';
import type { SandboxLayout } from './layout.js';

export type SandboxKind = 'bwrap' | 'seatbelt';

export type ProbeResult =
  | { ok: true; kind: SandboxKind; program: string; version?: string }
  | { ok: false; kind: SandboxKind | 'none'; reason: string; hint: string; program?: string; version?: string };

const SEATBELT = '/usr/bin/sandbox-exec';
const PROBE_TIMEOUT_MS = 5000;

/** An absolute `bwrap` from PATH; relative PATH entries are skipped (they depend on the cwd). */
export async function findBwrap(pathVar = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of pathVar.split(':')) {
    if (!path.isAbsolute(dir)) continue;
    const p = path.join(dir, 'bwrap');
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return null;
}

function run(
  file: string,
  args: string[],
  extraFd = false,
): Promise<{ code: number | null; stdout: string; stderr: string; status: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe', extraFd ? 'pipe' : 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let stdout = '';
    let stderr = '';
    let status = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (b: Buffer) => (status += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + e.message, status });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, status });
    });
  });
}

/** Tells the user what a bubblewrap failure means and what fixes it (sandbox notes §6.4). */
export function classifyBwrapFailure(stderr: string): { reason: string; hint: string } {
  const s = stderr.trim();
  const first = s.split('\n')[0] ?? '';
  if (
    /setting up uid map: Permission denied|loopback: Failed RTM_NEWADDR|No permissions to create a new namespace|Creating new namespace failed|Operation not permitted/.test(
      s,
    )
  ) {
    return {
      reason: `bubblewrap cannot create namespaces here (${first})`,
      hint:
        'User namespaces are blocked. On Ubuntu 23.10+ load the AppArmor profile (`apt install apparmor-profiles` and ' +
        '`apparmor_parser -r /usr/share/apparmor/extra-profiles/bwrap-userns-restrict`) or `sysctl kernel.apparmor_restrict_unprivileged_userns=0`; ' +
        'in Docker run with `--security-opt seccomp=unconfined`.',
    };
  }
  if (/setting up uid map: Invalid argument/.test(s))
    return {
      reason: 'bubblewrap is installed setuid, which cannot confine this way',
      hint: 'Use the distribution package of bubblewrap (not setuid): `chmod u-s $(which bwrap)`.',
    };
  if (/Can't mount proc/.test(s))
    return {
      reason: `bubblewrap cannot mount /proc (a restricted container?): ${first}`,
      hint: 'Run hermes outside the container, or give the container CAP_SYS_ADMIN and seccomp=unconfined.',
    };
  if (/No space left on device/.test(s))
    return {
      reason: 'user namespaces are disabled (hermes is probably already inside a sandbox)',
      hint: 'Run hermes outside the other sandbox.',
    };
  if (/Unknown option|unrecognized option/.test(s))
    return { reason: `this bubblewrap is too old (${first})`, hint: 'Install bubblewrap 0.8.0 or newer.' };
  return { reason: `bubblewrap failed: ${first || 'no output'}`, hint: 'Run `bwrap --ro-bind / / true` to see why.' };
}

const INSTALL_HINT =
  'Install bubblewrap (Debian/Ubuntu: `sudo apt install bubblewrap`; Fedora: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`), then `hermes daemon restart`.';

/**
 * Runs a real command in the real sandbox once: a `--version` check is not enough (a tool that
 * only checked it reported an active sandbox while every command failed).
 */
export async function probeSandbox(scratch: string, platform = process.platform): Promise<ProbeResult> {
  if (platform === 'darwin') {
    try {
      await access(SEATBELT, constants.X_OK);
    } catch {
      return {
        ok: false,
        kind: 'none',
        reason: `${SEATBELT} is missing`,
        hint: 'sandbox-exec ships with macOS; check that /usr/bin is intact.',
      };
    }
    const r = await run(SEATBELT, ['-p', '(version 1)(allow default)', '/usr/bin/true']);
    if (r.code === 0) return { ok: true, kind: 'seatbelt', program: SEATBELT };
    const nested = /Operation not permitted/.test(r.stderr);
    return {
      ok: false,
      kind: 'seatbelt',
      program: SEATBELT,
      reason: nested
        ? 'hermes is already running inside a macOS sandbox (nested sandboxes are impossible)'
        : `sandbox-exec failed: ${r.stderr.trim().split('\n')[0]}`,
      hint: nested
        ? 'Run hermes outside the other sandbox.'
        : 'Run `sandbox-exec -p "(version 1)(allow default)" /usr/bin/true` to see why.',
    };
  }
  if (platform !== 'linux')
    return { ok: false, kind: 'none', reason: `no sandbox is supported on ${platform}`, hint: 'Use Linux (bubblewrap) or macOS.' };
  const version = await readFile('/proc/version', 'utf8').catch(() => '');
  if (/microsoft/i.test(version) && !/WSL2/i.test(version))
    return { ok: false, kind: 'none', reason: 'WSL1 cannot create namespaces', hint: 'Use WSL2.' };
  const bwrap = await findBwrap();
  if (!bwrap) return { ok: false, kind: 'none', reason: 'bubblewrap (bwrap) is not installed', hint: INSTALL_HINT };
  const v = await new Promise<string>((resolve) =>
    execFile(bwrap, ['--version'], { timeout: PROBE_TIMEOUT_MS }, (_e, out) => resolve(String(out).trim())),
  );
  const versionText = v.replace(/^bubblewrap\s*/, '') || undefined;

  // The production argv on a scratch workspace: the file must appear on the host, and the
  // read-only root must refuse a write.
  const ws = path.join(scratch, 'probe-workspace');
  const tmp = path.join(scratch, 'probe-tmp');
  const empty = path.join(scratch, 'empty');
  await rm(ws, { recursive: true, force: true });
  await mkdir(ws, { recursive: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(empty, '', { mode: 0o400 }).catch(() => {});
  const layout: SandboxLayout = {
    workspace: ws,
    cwd: ws,
    tmp,
    writable: [],
    readOnly: [],
    hiddenDirs: [],
    hiddenFiles: [],
    network: false,
  };
  const r = await run(bwrap, bwrapArgs(layout, empty, '/bin/sh', 'echo ok > probe && ! touch /usr/.hermes-probe 2>/dev/null'), true);
  const wrote = (await readFile(path.join(ws, 'probe'), 'utf8').catch(() => '')).trim() === 'ok';
  await rm(ws, { recursive: true, force: true });
  if (r.code === 0 && wrote && /"exit-code":\s*0/.test(r.status))
    return { ok: true, kind: 'bwrap', program: bwrap, ...(versionText ? { version: versionText } : {}) };
  return {
    ok: false,
    kind: 'bwrap',
    program: bwrap,
    ...(versionText ? { version: versionText } : {}),
    ...classifyBwrapFailure(r.stderr || `exit ${r.code}`),
  };
}

export function defaultScratch(home: string): string {
  return path.join(home, 'sandbox');
}
