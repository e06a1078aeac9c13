import { describe, expect, it } from 'vitest';
import { classifyRead, classifyWrite, describeTarget, isWithin, type PathFacts, type PathScope } from './paths.js';
import { decide, ruleMatches, type PolicyInput } from './policy.js';

const scope: PathScope = {
  workspace: '/work/proj',
  hermesHome: '/home/me/.hermes',
  readable: ['/usr/share/doc', '/home/me/notes'],
  home: '/home/me',
};
const at = (requested: string, real = requested): PathFacts => ({ requested, real });

const call = (tool: string, target: PathFacts, over: Partial<PolicyInput> = {}): ReturnType<typeof decide> =>
  decide({
    tool,
    args: { path: target.requested.replace('/work/proj/', ''), content: 'x', pattern: 'x' },
    workspace: '/work/proj',
    mode: 'ask',
    sessionRules: new Set(),
    allowlist: [],
    home: '/home/me',
    target,
    scope,
    ...over,
  });

describe('isWithin', () => {
  it('compares whole components', () => {
    expect(isWithin('/work/proj', '/work/proj')).toBe(true);
    expect(isWithin('/work/proj/a', '/work/proj/')).toBe(true);
    expect(isWithin('/work/project', '/work/proj')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });
});

describe('classifyWrite', () => {
  it('judges a link by where it leads: a link in the workspace to authorized_keys asks', () => {
    const v = classifyWrite(at('/work/proj/keys.txt', '/home/me/.ssh/authorized_keys'), scope);
    expect(v.level).toBe('dangerous');
    expect(v.reasons.join(' ')).toMatch(/outside the workspace \(\/home\/me\/\.ssh\/authorized_keys\)/);
    expect(v.reasons.join(' ')).toMatch(/SSH/);
    expect(v.pattern).toBe('write /home/me/.ssh/authorized_keys');
  });

  it('allows a plain file inside the workspace, and a link that stays inside', () => {
    expect(classifyWrite(at('/work/proj/src/a.ts'), scope).level).toBe('safe');
    expect(classifyWrite(at('/work/proj/README.md', '/work/proj/docs/README.md'), scope).level).toBe('safe');
  });

  it('asks for files that run code, wherever they are (git hooks and config, rc files, .env)', () => {
    for (const p of [
      '/work/proj/.git/config',
      '/work/proj/.git/hooks/pre-commit',
      '/work/proj/.git/modules/lib/config',
      '/work/proj/.git/modules/lib/hooks/post-checkout',
      '/work/proj/.git/worktrees/wt/config.worktree',
      '/work/proj/.GIT/Config',
      '/work/proj/.env',
      '/work/proj/config/.env.production',
      '/work/proj/.bashrc',
      '/work/proj/sub/.zshrc',
    ]) {
      expect(classifyWrite(at(p), scope).level, p).toBe('dangerous');
    }
    for (const p of [
      '/work/proj/.env.example',
      '/work/proj/gitconfig.md',
      '/work/proj/docs/hooks/x',
      '/work/proj/my.git/config',
      '/work/proj/.github/workflows/ci.yml',
      '/work/proj/.gitignore',
    ]) {
      expect(classifyWrite(at(p), scope).level, p).toBe('safe');
    }
  });

  it('asks for anything that redirects git: a .git file, commondir, gitdir, a nested repository', () => {
    const cases: [string, RegExp][] = [
      ['/work/proj/vendor/lib/.git', /git's own folder/],
      ['/work/proj/.git/commondir', /git's own folder/],
      ['/work/proj/.git/worktrees/wt/gitdir', /git's own folder/],
      ['/work/proj/.git/HEAD', /git's own folder/],
      ['/work/proj/nested/.git/config', /git configuration/],
      ['/work/proj/.git/modules/lib/hooks/pre-commit', /git hook/],
    ];
    for (const [p, reason] of cases) expect(classifyWrite(at(p), scope).reasons.join(' '), p).toMatch(reason);
  });

  it('asks for every shell startup file, including the ones sourced by others', () => {
    for (const b of ['.bashrc', '.bash_profile', '.bash_aliases', '.zshenv', '.zlogout', '.profile', '.login', '.xprofile']) {
      expect(classifyWrite(at(`/work/proj/${b}`), scope).reasons.join(' '), b).toMatch(/shell startup file/);
    }
  });

  it('sees the sensitive name on either side of a link', () => {
    // A harmless name leading to .git/hooks (a linked folder), and a link named .env leading to a harmless name.
    expect(classifyWrite(at('/work/proj/hooks/pre-commit', '/work/proj/.git/hooks/pre-commit'), scope).reasons.join(' ')).toMatch(
      /git hook/,
    );
    expect(classifyWrite(at('/work/proj/.env', '/work/proj/secrets/plain.txt'), scope).reasons.join(' ')).toMatch(/environment/);
    // .git/hooks itself linked out of the workspace: both reasons.
    const out = classifyWrite(at('/work/proj/.git/hooks/pre-push', '/srv/shared-hooks/pre-push'), scope);
    expect(out.reasons.join(' ')).toMatch(/git hook.*outside the workspace|outside the workspace.*git hook/s);
  });

  it('refuses HERMES_HOME by name or by link, and raw disks', () => {
    expect(classifyWrite(at('/home/me/.hermes/config.json'), scope).level).toBe('refuse');
    const linked = classifyWrite(at('/work/proj/cfg.json', '/home/me/.hermes/config.json'), scope);
    expect(linked.level).toBe('refuse');
    expect(linked.reasons[0]).toMatch(/HERMES_HOME/);
    expect(classifyWrite(at('/dev/sda'), scope).level).toBe('refuse');
  });

  it('keeps a workspace that lies inside HERMES_HOME writable, the rest of HERMES_HOME not', () => {
    const hh: PathScope = { ...scope, hermesHome: '/srv/hermes' };
    const inner: PathScope = { ...hh, workspace: '/srv/hermes/ws' };
    expect(classifyWrite(at('/srv/hermes/ws/a.txt'), inner).level).toBe('safe');
    expect(classifyWrite(at('/srv/hermes/daemon.json'), inner).level).toBe('refuse');
    expect(classifyRead(at('/srv/hermes/ws/a.txt'), inner).level).toBe('safe');
    expect(classifyRead(at('/srv/hermes/daemon.json'), inner).level).toBe('refuse');
    // A workspace that is HERMES_HOME (or holds it) gets no such exception.
    expect(classifyWrite(at('/srv/hermes/daemon.json'), { ...hh, workspace: '/srv/hermes' }).level).toBe('refuse');
    expect(classifyWrite(at('/srv/hermes/daemon.json'), { ...hh, workspace: '/srv' }).level).toBe('refuse');
  });
});

describe('classifyRead', () => {
  it('allows the workspace and tools.readable, asks elsewhere, refuses HERMES_HOME', () => {
    expect(classifyRead(at('/work/proj/a.ts'), scope).level).toBe('safe');
    expect(classifyRead(at('/usr/share/doc/x/README'), scope).level).toBe('safe');
    expect(classifyRead(at('/home/me/notes'), scope).level).toBe('safe');
    expect(classifyRead(at('/home/me/notes-private/x'), scope).level).toBe('dangerous');
    expect(classifyRead(at('/etc/passwd'), scope)).toMatchObject({ level: 'dangerous', pattern: 'read /etc/passwd' });
    expect(classifyRead(at('/home/me/.hermes/daemon.json'), scope).level).toBe('refuse');
    // Another case of the same name (one folder on macOS' filesystem) is refused too.
    expect(classifyRead(at('/home/me/.HERMES/daemon.json'), scope).level).toBe('refuse');
    expect(classifyRead(at('/Home/Me/.Hermes'), { ...scope, workspace: '/home/me' }).level).toBe('refuse');
    // tools.readable covering HERMES_HOME does not open it.
    expect(classifyRead(at('/home/me/.hermes/daemon.json'), { ...scope, readable: ['/home/me'] }).level).toBe('refuse');
  });

  it('judges the real path: a link in the workspace to ~/.ssh asks, a link out to a readable folder is fine', () => {
    expect(classifyRead(at('/work/proj/k', '/home/me/.ssh/id_ed25519'), scope).level).toBe('dangerous');
    expect(classifyRead(at('/work/proj/doc', '/usr/share/doc/x'), scope).level).toBe('safe');
    expect(classifyRead(at('/work/proj/d.json', '/home/me/.hermes/daemon.json'), scope).level).toBe('refuse');
    // A link *named* into tools.readable but leading elsewhere is judged by where it leads.
    expect(classifyRead(at('/usr/share/doc/evil', '/etc/shadow'), scope).level).toBe('dangerous');
  });
});

describe('decide with resolved paths', () => {
  it('asks for write_file and patch through a link out of the workspace, naming the real target', () => {
    for (const tool of ['write_file', 'patch']) {
      const d = call(tool, at('/work/proj/keys.txt', '/home/me/.ssh/authorized_keys'));
      expect(d).toMatchObject({
        action: 'ask',
        ask: { summary: `${tool} keys.txt → /home/me/.ssh/authorized_keys`, pattern: 'write /home/me/.ssh/authorized_keys' },
      });
    }
  });

  it('refuses HERMES_HOME writes and reads in every mode, whatever the rules say', () => {
    const cfg = at('/work/proj/c.json', '/home/me/.hermes/config.json');
    for (const mode of ['ask', 'yolo', 'deny'] as const) {
      for (const tool of ['write_file', 'patch', 'read_file', 'search_files']) {
        const d = call(tool, cfg, {
          mode,
          allowlist: ['write /home/me/.hermes/*', 'read /home/me/.hermes/*'],
          sessionRules: new Set(['write /home/me/.hermes/config.json']),
        });
        expect(d.action, `${tool} ${mode}`).toBe('refuse');
        if (d.action === 'refuse') expect(d.reason).toMatch(/HERMES_HOME/);
      }
    }
  });

  it('asks for reads outside the workspace; tools.readable, rules and yolo allow them', () => {
    expect(call('read_file', at('/etc/hosts'))).toMatchObject({
      action: 'ask',
      ask: { pattern: 'read /etc/hosts', choices: ['once', 'session', 'always', 'deny'] },
    });
    expect(call('search_files', at('/etc'))).toMatchObject({ action: 'ask' });
    expect(call('read_file', at('/usr/share/doc/x'))).toEqual({ action: 'allow' });
    expect(call('read_file', at('/etc/hosts'), { mode: 'yolo' })).toEqual({ action: 'allow' });
    expect(call('read_file', at('/etc/hosts'), { allowlist: ['read /etc/*'] })).toMatchObject({ action: 'allow' });
    expect(call('read_file', at('/etc/hosts'), { mode: 'deny' }).action).toBe('refuse');
    // A read rule does not allow writes there.
    expect(call('write_file', at('/etc/hosts'), { allowlist: ['read /etc/*'] }).action).toBe('ask');
    expect(ruleMatches('read /etc/*', 'write /etc/hosts', false)).toBe(false);
  });

  it('asks for .git/config inside the workspace', () => {
    expect(call('patch', at('/work/proj/.git/config'))).toMatchObject({ action: 'ask', ask: { summary: 'patch .git/config' } });
  });

  it('asks for a terminal workdir that is a link out of the workspace', () => {
    const d = decide({
      tool: 'terminal',
      args: { command: 'touch x', workdir: 'out' },
      workspace: '/work/proj',
      mode: 'ask',
      sessionRules: new Set(),
      allowlist: [],
      target: at('/work/proj/out', '/home/me'),
      scope,
      // With a sandbox, only the workdir is the reason (without one, touch would ask anyway).
      sandboxed: true,
    });
    expect(d).toMatchObject({ action: 'ask', ask: { reasons: ['runs in /home/me, outside the workspace'] } });
  });

  it('words a link on the card', () => {
    expect(describeTarget('a.txt', at('/w/a.txt'))).toBe('a.txt');
    expect(describeTarget('keys.txt', at('/w/keys.txt', '/home/u/.ssh/authorized_keys'))).toBe('keys.txt → /home/u/.ssh/authorized_keys');
  });
});
