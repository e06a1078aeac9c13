import { describe, expect, it } from 'vitest';
import { bwrapArgs } from './bwrap.js';
import { sandboxEnvironment } from './env.js';
import { classifyBwrapFailure } from './probe.js';
import { seatbeltArgs, seatbeltProfile } from './seatbelt.js';
import type { SandboxLayout } from './layout.js';

const layout: SandboxLayout = {
  workspace: '/home/u/proj',
  cwd: '/home/u/proj/src',
  tmp: '/home/u/.hermes/sandbox/tmp/ses_1',
  writable: ['/srv/cache'],
  readOnly: ['/home/u/proj/.git/hooks', '/home/u/proj/.git/config'],
  hiddenDirs: ['/home/u/.hermes', '/home/u/.ssh'],
  hiddenFiles: ['/home/u/.netrc'],
  network: false,
};

/** Index of the option `flag` whose next value is `value`. */
function at(args: string[], flag: string, value: string): number {
  for (let i = 0; i < args.length - 1; i++) if (args[i] === flag && args[i + 1] === value) return i;
  return -1;
}

describe('bwrapArgs', () => {
  const args = bwrapArgs(layout, '/home/u/.hermes/sandbox/empty', '/bin/bash', 'echo hi');

  it('always drops capabilities, user namespaces and shares nothing', () => {
    for (const f of ['--unshare-user', '--disable-userns', '--unshare-pid', '--die-with-parent', '--new-session', '--unshare-net'])
      expect(args).toContain(f);
    expect(at(args, '--cap-drop', 'ALL')).toBeGreaterThan(-1);
  });

  it('orders mounts: root read-only, then /tmp, workspace, writable, protections, masks', () => {
    const root = at(args, '--ro-bind', '/');
    const tmp = at(args, '--bind', layout.tmp);
    const ws = at(args, '--bind', layout.workspace);
    const extra = at(args, '--bind', '/srv/cache');
    const hooks = at(args, '--ro-bind', '/home/u/proj/.git/hooks');
    const mask = at(args, '--tmpfs', '/home/u/.ssh');
    const file = at(args, '--ro-bind', '/home/u/.hermes/sandbox/empty');
    expect(root).toBeGreaterThan(-1);
    expect([root, tmp, ws, extra, hooks, mask, file]).toEqual([...[root, tmp, ws, extra, hooks, mask, file]].sort((a, b) => a - b));
    expect(args[tmp + 2]).toBe('/tmp');
    expect(args[file + 2]).toBe('/home/u/.netrc');
    // The masks are unreadable even to uid 0 and stay read-only.
    expect(args[mask - 2]).toBe('--perms');
    expect(args[mask - 1]).toBe('0000');
    expect(at(args, '--remount-ro', '/home/u/.ssh')).toBeGreaterThan(mask);
  });

  it('runs the command last, in the resolved folder, with a status fd', () => {
    expect(args.slice(-4)).toEqual(['--', '/bin/bash', '-c', 'echo hi']);
    expect(at(args, '--chdir', '/home/u/proj/src')).toBeGreaterThan(-1);
    expect(at(args, '--json-status-fd', '3')).toBeGreaterThan(-1);
  });

  it('binds each git dir onto itself before its protections, so it cannot be moved aside', () => {
    const pinned = bwrapArgs({ ...layout, pinned: ['/home/u/proj/.git'] }, '/e', '/bin/sh', 'x');
    const pin = at(pinned, '--bind', '/home/u/proj/.git');
    expect(pinned[pin + 2]).toBe('/home/u/proj/.git');
    expect(pin).toBeGreaterThan(at(pinned, '--bind', layout.workspace));
    expect(pin).toBeLessThan(at(pinned, '--ro-bind', '/home/u/proj/.git/hooks'));
  });

  it('covers the kernel knobs of the fresh /proc read-only (a root caller is host uid 0)', () => {
    const proc = at(args, '--proc', '/proc');
    for (const p of ['/proc/sys', '/proc/sysrq-trigger']) {
      const i = at(args, '--ro-bind-try', p);
      expect(i).toBeGreaterThan(proc);
      expect(args[i + 2]).toBe(p);
    }
  });

  it('keeps the host network only when asked', () => {
    expect(bwrapArgs({ ...layout, network: true }, '/e', '/bin/sh', 'x')).not.toContain('--unshare-net');
  });
});

describe('seatbeltProfile', () => {
  const { profile, params } = seatbeltProfile(layout);

  it('denies by default and never splices a path into the text', () => {
    expect(profile.startsWith('(version 1)\n(deny default)')).toBe(true);
    for (const p of [layout.workspace, layout.tmp, ...layout.hiddenDirs, ...layout.hiddenFiles]) expect(profile).not.toContain(p);
    expect(Object.values(params)).toEqual(
      expect.arrayContaining([layout.workspace, layout.tmp, '/srv/cache', ...layout.hiddenDirs, ...layout.hiddenFiles, ...layout.readOnly]),
    );
  });

  it('allows writes only under the writable roots, then denies the protected and hidden paths after them', () => {
    const write = profile.indexOf('(allow file-write* (subpath (param "WRITABLE_0"))');
    const ro = profile.indexOf('(deny file-write* (subpath (param "READONLY_0"))');
    const hidden = profile.indexOf('(deny file-read* file-write* (subpath (param "HIDDEN_DIR_0"))');
    expect(write).toBeGreaterThan(profile.indexOf('(allow file-read*)'));
    expect(ro).toBeGreaterThan(write);
    expect(hidden).toBeGreaterThan(ro);
    expect(profile).toContain('(literal (param "HIDDEN_FILE_0"))');
    expect(profile).not.toMatch(/network/);
  });

  it('denies unlinking a pinned git dir (moving it aside)', () => {
    const pinned = seatbeltProfile({ ...layout, pinned: ['/home/u/proj/.git'] });
    expect(pinned.profile).toContain('(deny file-write-unlink (literal (param "PINNED_0")))');
    expect(pinned.params.PINNED_0).toBe('/home/u/proj/.git');
  });

  it('allows the network only when asked', () => {
    expect(seatbeltProfile({ ...layout, network: true }).profile).toContain('(allow network*)');
  });

  it('passes every parameter as -D before the command', () => {
    const args = seatbeltArgs(layout, '/bin/bash', 'ls');
    expect(args[0]).toBe('-p');
    expect(args.filter((a) => a.startsWith('-D')).length).toBe(Object.keys(params).length);
    expect(args.slice(-4)).toEqual(['--', '/bin/bash', '-c', 'ls']);
  });
});

describe('sandboxEnvironment', () => {
  it('drops agent sockets and credential-named variables, points caches into /tmp', () => {
    const env = sandboxEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/home/u',
        SSH_AUTH_SOCK: '/run/x',
        GITHUB_TOKEN: 't',
        AWS_SECRET_ACCESS_KEY: 's',
        NPM_AUTH: 'a',
        MY_API_KEY: 'k',
        LANG: 'C',
        KEYBOARD: 'us',
      },
      false,
    );
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C',
      KEYBOARD: 'us',
      TMPDIR: '/tmp',
      HERMES_SANDBOX: '1',
      HERMES_SANDBOX_NETWORK: '0',
    });
    for (const k of ['SSH_AUTH_SOCK', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'NPM_AUTH', 'MY_API_KEY']) expect(env).not.toHaveProperty(k);
  });
});

describe('classifyBwrapFailure', () => {
  it('names blocked user namespaces and how to fix them', () => {
    const c = classifyBwrapFailure('bwrap: setting up uid map: Permission denied\n');
    expect(c.reason).toMatch(/namespaces/);
    expect(c.hint).toMatch(/apparmor/i);
  });
  it('tells an old bubblewrap', () => {
    expect(classifyBwrapFailure('bwrap: Unknown option --disable-userns').reason).toMatch(/too old/);
  });
});

describe('the tool mark', () => {
  it('reads the hard message-queue limit from /proc/<pid>/limits', async () => {
    const { hardMsgqueueLimit } = await import('../tool/processes.js');
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\nMax msgqueue size         819193               819193               bytes\n';
    expect(hardMsgqueueLimit(text)).toBe(819193);
    expect(hardMsgqueueLimit(text.replaceAll('819193', 'unlimited'))).toBe(Infinity);
    expect(hardMsgqueueLimit('Max open files 1024 1024 files\n')).toBeNull();
  });

  it('marks a spawned program so that its detached descendants still carry the mark', async () => {
    const { markedSpawn, carriesToolMark, TOOL_MARK } = await import('../tool/processes.js');
    if (TOOL_MARK === null) return; // not Linux, or no bash: the parent chain is all there is
    const { execFile } = await import('node:child_process');
    // A grandchild that leaves the session and drops its environment reads its own limits.
    const m = markedSpawn('/bin/bash', ['-c', '(setsid env -i /bin/cat /proc/self/limits &) ; sleep 0.2']);
    const out = await new Promise<string>((resolve, reject) => execFile(m.file, m.args, (e, o) => (e ? reject(e) : resolve(o))));
    expect(carriesToolMark(out)).toBe(true);
    const mine = await import('node:fs/promises').then((fs) => fs.readFile('/proc/self/limits', 'utf8'));
    expect(carriesToolMark(mine)).toBe(false);
  });
});
