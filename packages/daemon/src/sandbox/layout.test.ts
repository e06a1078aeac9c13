// The workspace is the command's to write, so whatever an earlier command planted there (a `.git`
// file, links in a `.git` dir) must not widen what the next command may write or read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveLayout, type SandboxLayout } from './layout.js';

let root: string;
let ws: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'hermes-layout-')));
  ws = path.join(root, 'ws');
  mkdirSync(path.join(ws, '.git', 'hooks'), { recursive: true });
  writeFileSync(path.join(ws, '.git', 'config'), '[core]\n');
  mkdirSync(path.join(root, 'tmp'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function layout(): Promise<SandboxLayout> {
  const r = await resolveLayout({ workspace: ws, cwd: ws, tmp: path.join(root, 'tmp'), hermesHome: path.join(root, 'hh'), home: root });
  if (!r.ok) throw new Error(r.reason);
  return r.layout;
}

describe('resolveLayout: git protections', () => {
  it('pins the git dir and protects its hooks and config', async () => {
    const l = await layout();
    expect(l.pinned).toEqual([path.join(ws, '.git')]);
    expect(l.readOnly).toEqual([path.join(ws, '.git/hooks'), path.join(ws, '.git/config')]);
  });

  it('a planted .git file naming / or HOME widens nothing', async () => {
    mkdirSync(path.join(ws, 'a'));
    writeFileSync(path.join(ws, 'a', '.git'), 'gitdir: /\n');
    mkdirSync(path.join(ws, 'b'));
    writeFileSync(path.join(ws, 'b', '.git'), `gitdir: ${root}\n`);
    const l = await layout();
    expect(l.writable).toEqual([]);
    expect(l.pinned).toEqual([path.join(ws, '.git')]);
    for (const p of [...l.readOnly, ...(l.pinned ?? [])]) expect(p.startsWith(ws + path.sep)).toBe(true);
  });

  it('links planted in a nested .git dir are not followed out of the workspace', async () => {
    mkdirSync(path.join(ws, 'n', '.git', 'modules'), { recursive: true });
    symlinkSync('/tmp', path.join(ws, 'n', '.git', 'config'));
    symlinkSync(ws, path.join(ws, 'n', '.git', 'hooks'));
    symlinkSync('/', path.join(ws, 'n', '.git', 'modules', 'm'));
    const l = await layout();
    expect(l.readOnly).not.toContain('/tmp');
    expect(l.readOnly).not.toContain(ws);
    expect(l.pinned).not.toContain('/');
    expect(l.pinned).toContain(path.join(ws, 'n', '.git'));
  });

  it('trusts a real linked worktree (its git dir points back) and keeps its pointers read-only', async () => {
    const main = path.join(root, 'main');
    mkdirSync(main);
    const git = (cwd: string, ...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'ignore' });
    };
    git(main, 'init', '-q');
    git(main, 'commit', '-q', '--allow-empty', '-m', 'x');
    rmSync(ws, { recursive: true, force: true });
    git(main, 'worktree', 'add', '-q', ws);
    const l = await layout();
    const gitDir = path.join(main, '.git', 'worktrees', 'ws');
    expect(l.writable).toEqual(expect.arrayContaining([gitDir, path.join(main, '.git')]));
    expect(l.readOnly).toEqual(
      expect.arrayContaining([
        path.join(ws, '.git'),
        path.join(gitDir, 'gitdir'),
        path.join(gitDir, 'commondir'),
        path.join(main, '.git', 'config'),
      ]),
    );
  });
});
