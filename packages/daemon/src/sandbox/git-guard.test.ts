// The guard is judged by effect: after each trick a command could play inside the sandbox, the
// user's own `git status` and `git commit` on the host must not run the command's code.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configKeys, dangerousKeys } from './git-config.js';
import { gitUndoNote, snapshotGit, undoGitChanges } from './git-guard.js';
import { parseGitlinks } from './git-index.js';

let root: string;
let ws: string;
let pwn: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'u',
      GIT_AUTHOR_EMAIL: 'u@x',
      GIT_COMMITTER_NAME: 'u',
      GIT_COMMITTER_EMAIL: 'u@x',
    },
    stdio: 'pipe',
  }).toString();
}

/** A shell step standing in for the sandboxed command (it can write anything in the workspace). */
function sh(script: string): void {
  execFileSync('bash', ['-c', script], {
    cwd: ws,
    env: {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      PWN: pwn,
      GIT_AUTHOR_NAME: 'u',
      GIT_AUTHOR_EMAIL: 'u@x',
      GIT_COMMITTER_NAME: 'u',
      GIT_COMMITTER_EMAIL: 'u@x',
    },
    stdio: 'pipe',
  });
}

/** What the user does on the host afterwards; failures are fine, running the command's code is not. */
function userRunsGit(): void {
  for (const args of [['status', '--short'], ['commit', '-qam', 'user'], ['diff'], ['log', '-1']]) {
    try {
      git(ws, ...args);
    } catch {
      // a broken repository is acceptable; an executed payload is not
    }
  }
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'hermes-git-guard-'));
  ws = path.join(root, 'ws');
  pwn = path.join(root, 'PWNED');
  mkdirSync(ws);
  git(ws, 'init', '-q');
  writeFileSync(path.join(ws, 'a.txt'), 'a\n');
  git(ws, 'add', '.');
  git(ws, 'commit', '-qm', 'init');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs the command's stand-in (`PWN` in it is the marker's path), the guard, then the user's git. */
async function attack(script: string, alsoIn: string[] = []): Promise<string | null> {
  const before = await snapshotGit(ws);
  sh(script.replaceAll('PWN', pwn));
  const note = gitUndoNote(await undoGitChanges(before));
  userRunsGit();
  for (const dir of alsoIn) {
    writeFileSync(path.join(ws, dir, 'user-file'), 'u');
    try {
      git(path.join(ws, dir), 'add', 'user-file');
      git(path.join(ws, dir), 'commit', '-qm', 'user');
    } catch {
      // as above
    }
  }
  return note;
}

const FSMON = `printf '[core]\\n\\trepositoryformatversion = 0\\n\\tfsmonitor = "touch PWN; false"\\n'`;

describe("the git guard (effects on the user's later git)", () => {
  const attacks: [string, string, string[]?][] = [
    [
      ".git/commondir to a config of the command's making",
      `mkdir -p .git/ev && cp -r .git/objects .git/refs .git/HEAD .git/ev/ && ${FSMON} > .git/ev/config && echo ev > .git/commondir`,
    ],
    [
      'a nested repo added as a gitlink',
      `git init -q sub && git -C sub commit -q --allow-empty -m s && git -C sub config core.fsmonitor "touch PWN; false" && git add sub; echo x > sub/f`,
    ],
    [
      "a nested repo five folders deep (past the sandbox's own scan)",
      `mkdir -p a/b/c/d && git init -q a/b/c/d/sub && git -C a/b/c/d/sub commit -q --allow-empty -m s && git -C a/b/c/d/sub config core.fsmonitor "touch PWN; false" && git add a/b/c/d/sub; echo x > a/b/c/d/sub/f`,
    ],
    [
      'a submodule git dir under .git/modules',
      `mkdir -p .git/modules && git init -q --separate-git-dir .git/modules/m m && git -C m commit -q --allow-empty -m m && git -C m config core.fsmonitor "touch PWN; false" && git add m; echo x > m/f`,
    ],
    [
      'a gitlink whose .git file points outside the workspace',
      `mkdir -p ../outside && git init -q --separate-git-dir ../outside/g s && git -C s commit -q --allow-empty -m s && git -C s config core.fsmonitor "touch PWN; false" && git add s; echo x > s/f`,
    ],
    [
      'an include.path in a nested repo',
      `git init -q inc && git -C inc commit -q --allow-empty -m s && ${FSMON} > ../evil.cfg && git -C inc config include.path ../../../evil.cfg && git add inc; echo x > inc/f`,
    ],
    [
      'a hook in a nested repo',
      `git init -q hk && git -C hk commit -q --allow-empty -m s && printf '#!/bin/sh\\ntouch PWN\\n' > hk/.git/hooks/pre-commit && chmod +x hk/.git/hooks/pre-commit && git add hk`,
      ['hk'],
    ],
    [
      'a gitlink whose .git is a symlink to a git dir under another name',
      `git init -q src && git -C src commit -q --allow-empty -m s && git -C src config core.fsmonitor "touch PWN; false" && mkdir sub2 && mv src/.git stash-git && ln -s ../stash-git sub2/.git && git add sub2; echo x > sub2/f`,
    ],
    [
      'a symlinked .git in a nested repo whose commondir points at an evil config',
      `git init -q n3 && git -C n3 commit -q --allow-empty -m s && mkdir -p ev3 && ${'${FSMON}'} > ev3/config && mv n3/.git g3 && cp -r g3/objects g3/refs g3/HEAD ev3/ && echo ../ev3 > g3/commondir && ln -s ../g3 n3/.git && git add n3; echo x > n3/f`,
    ],
    [
      'an old-style [core.x] section and odd case',
      `git init -q oc && git -C oc commit -q --allow-empty -m s && printf '[Core]\\n\\tFsMonitor = "touch PWN; false"\\n' >> oc/.git/config && git add oc; echo x > oc/f`,
    ],
  ];
  for (const [name, script, alsoIn] of attacks) {
    it(name, async () => {
      const note = await attack(script, alsoIn);
      expect(existsSync(pwn), `the payload ran; note: ${note}`).toBe(false);
      expect(note).toMatch(/undid git changes/);
    });
  }

  it('the nested repo keeps working after its hook is disabled (the user can still use it)', async () => {
    await attack(
      `git init -q hk && git -C hk commit -q --allow-empty -m s && printf '#!/bin/sh\\ntouch PWN\\n' > hk/.git/hooks/pre-commit && chmod +x hk/.git/hooks/pre-commit && git add hk`,
    );
    writeFileSync(path.join(ws, 'hk/x'), 'x');
    git(path.join(ws, 'hk'), 'add', 'x');
    git(path.join(ws, 'hk'), 'commit', '-qm', 'user commit in the nested repo');
    expect(existsSync(pwn)).toBe(false);
    expect(statSync(path.join(ws, 'hk/.git/hooks/pre-commit')).mode & 0o111).toBe(0);
  });

  it('ordinary work is left alone: edits, commits, a plain nested repo', async () => {
    const note = await attack(
      `echo b >> a.txt && git commit -qam work && git init -q plain && git -C plain commit -q --allow-empty -m p && git add plain && git commit -qm sub`,
    );
    expect(note).toBeNull();
    expect(git(ws, 'log', '--format=%s').split('\n').slice(0, 2)).toEqual(['sub', 'work']);
    expect(readFileSync(path.join(ws, 'plain/.git/config'), 'utf8')).toMatch(/repositoryformatversion/);
  });

  it('a commondir that existed before is put back as it was, not removed', async () => {
    // A worktree-style git dir the user made: its commondir is theirs.
    const wt = path.join(ws, '.git', 'modules', 'w');
    mkdirSync(wt, { recursive: true });
    writeFileSync(path.join(wt, 'commondir'), '../..\n');
    const before = await snapshotGit(ws);
    writeFileSync(path.join(wt, 'commondir'), '/tmp/evil\n');
    const undone = await undoGitChanges(before);
    expect(readFileSync(path.join(wt, 'commondir'), 'utf8')).toBe('../..\n');
    expect(undone.map((u) => u.did)).toEqual(['restored']);
  });

  it('a dangerous config the user already had is not touched', async () => {
    git(ws, 'init', '-q', 'mine');
    git(path.join(ws, 'mine'), 'config', 'core.pager', 'less -R');
    const before = await snapshotGit(ws);
    const undone = await undoGitChanges(before);
    expect(undone).toEqual([]);
    expect(readFileSync(path.join(ws, 'mine/.git/config'), 'utf8')).toContain('pager');
  });

  it('an executable hook link is moved aside, not followed', async () => {
    git(ws, 'init', '-q', 'lk');
    const before = await snapshotGit(ws);
    writeFileSync(path.join(root, 'payload.sh'), `#!/bin/sh\ntouch ${pwn}\n`);
    chmodSync(path.join(root, 'payload.sh'), 0o755);
    sh(`ln -s ${path.join(root, 'payload.sh')} lk/.git/hooks/post-checkout`);
    await undoGitChanges(before);
    expect(existsSync(path.join(ws, 'lk/.git/hooks/post-checkout'))).toBe(false);
    expect(statSync(path.join(root, 'payload.sh')).mode & 0o111).not.toBe(0);
  });
});

describe('reading a git index without git', () => {
  for (const version of ['2', '3', '4']) {
    it(`finds every gitlink in a version ${version} index written by git`, () => {
      const names = ['a.txt', 'dé/ep/sub', 'dé/ep/sub2', 'dé/eq/file', 'z/sub'];
      for (const n of ['dé/ep/sub', 'dé/ep/sub2', 'z/sub']) {
        git(ws, 'init', '-q', n);
        git(path.join(ws, n), 'commit', '-q', '--allow-empty', '-m', 's');
      }
      mkdirSync(path.join(ws, 'dé/eq'), { recursive: true });
      writeFileSync(path.join(ws, 'dé/eq/file'), 'f');
      git(ws, 'add', ...names);
      // An intent-to-add entry carries the extended flags (version 3 and up).
      writeFileSync(path.join(ws, 'ita.txt'), 'i');
      git(ws, 'add', '-N', 'ita.txt');
      git(ws, 'update-index', '--index-version', version);
      const links = parseGitlinks(readFileSync(path.join(ws, '.git/index')));
      expect(links).toEqual(['dé/ep/sub', 'dé/ep/sub2', 'z/sub']);
    });
  }

  it('a truncated or foreign file is null, never a throw', () => {
    git(ws, 'update-index', '--index-version', '4');
    const buf = readFileSync(path.join(ws, '.git/index'));
    for (let cut = 0; cut < buf.length; cut += 7) expect(() => parseGitlinks(buf.subarray(0, cut))).not.toThrow();
    expect(parseGitlinks(Buffer.from('not an index at all'))).toBeNull();
  });
});

describe('which git configs are inert', () => {
  it("git init's own config is inert", () => {
    git(ws, 'init', '-q', 'fresh');
    expect(dangerousKeys(readFileSync(path.join(ws, 'fresh/.git/config'), 'utf8'))).toEqual([]);
  });
  it('keys that run code or read more config are not, however they are written', () => {
    const cases = [
      '[core]\n\tfsmonitor = x',
      '[core]\n\tFSMONITOR=x',
      '[core] fsmonitor = x',
      '[core]\n\tbare = false\n\tpager = x',
      '[include]\n\tpath = /tmp/x',
      '[includeIf "gitdir:/"]\n\tpath = /tmp/x',
      '[diff "x"]\n\ttextconv = sh',
      '[filter "lfs"]\n\tprocess = sh',
      '[core.x]\n\thooksPath = /tmp',
      '[core]\n\trepositoryformatversion = 0 \\\n\n\tsshCommand = x',
      '\ufeff[core]\n\tfsmonitor = x',
      '[core]\n\tfsmonitor',
    ];
    for (const c of cases) expect(dangerousKeys(c), c).not.toEqual([]);
  });
  it('reads sections, subsections and continued lines as git does', () => {
    expect(configKeys('[remote "origin"]\n\turl = x\n[branch "main"]\n\tremote = origin\n')).toEqual(['remote.*.url', 'branch.*.remote']);
    expect(configKeys('# c\n; c\n[user]\n\tname = "a \\\nb"\n')).toEqual(['user.name']);
  });
});
