import { mkdir, mkdtemp, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveScope, resolveTarget, resolveToolPath, sameTarget } from './resolve.js';

let root = '';
beforeEach(async () => {
  // realpath: the temp folder itself may sit behind a link (macOS /var → /private/var).
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hermes-resolve-')));
  await mkdir(path.join(root, 'ws', 'src'), { recursive: true });
  await mkdir(path.join(root, 'outside', 'deep'), { recursive: true });
  await writeFile(path.join(root, 'outside', 'secret.txt'), 'secret');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveTarget', () => {
  it('returns a plain path as is, with its folder as anchor', async () => {
    const p = path.join(root, 'ws', 'src');
    const t = await resolveTarget(path.join(p, 'a.txt'));
    expect(t).toMatchObject({ real: path.join(p, 'a.txt'), exists: false, anchor: { path: p, ino: (await stat(p)).ino } });
  });

  it('follows a file link, a dangling link, and a relative link', async () => {
    await symlink(path.join(root, 'outside', 'secret.txt'), path.join(root, 'ws', 'keys.txt'));
    expect((await resolveTarget(path.join(root, 'ws', 'keys.txt'))).real).toBe(path.join(root, 'outside', 'secret.txt'));
    // Dangling: the file the link names does not exist yet, and a write would create it there.
    await symlink(path.join(root, 'outside', 'not-yet', 'authorized_keys'), path.join(root, 'ws', 'dangling'));
    const d = await resolveTarget(path.join(root, 'ws', 'dangling'));
    expect(d).toMatchObject({
      real: path.join(root, 'outside', 'not-yet', 'authorized_keys'),
      exists: false,
      anchor: { path: path.join(root, 'outside') },
    });
    await symlink('../outside/deep', path.join(root, 'ws', 'rel'));
    expect((await resolveTarget(path.join(root, 'ws', 'rel', 'x', 'y.txt'))).real).toBe(path.join(root, 'outside', 'deep', 'x', 'y.txt'));
  });

  it('follows a linked folder in the middle and links to links, physically for ..', async () => {
    await symlink(path.join(root, 'outside', 'deep'), path.join(root, 'ws', 'hooks'));
    await symlink('hooks', path.join(root, 'ws', 'hooks2'));
    expect((await resolveTarget(path.join(root, 'ws', 'hooks2', 'pre-commit'))).real).toBe(
      path.join(root, 'outside', 'deep', 'pre-commit'),
    );
    // `..` after a link applies to where the link leads, as the kernel resolves it.
    await symlink('../deep/..', path.join(root, 'outside', 'deep', 'up'));
    expect((await resolveTarget(path.join(root, 'outside', 'deep', 'up', 'secret.txt'))).real).toBe(
      path.join(root, 'outside', 'secret.txt'),
    );
  });

  it('reports a link loop as ELOOP', async () => {
    await symlink('b', path.join(root, 'ws', 'a'));
    await symlink('a', path.join(root, 'ws', 'b'));
    await expect(resolveTarget(path.join(root, 'ws', 'a'))).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('resolves tool paths like the tools (~ and relative) and compares targets by folder identity', async () => {
    const ws = path.join(root, 'ws');
    expect((await resolveToolPath(ws, '~/x', { HOME: path.join(root, 'outside') })).real).toBe(path.join(root, 'outside', 'x'));
    const first = await resolveToolPath(ws, 'src/a.txt');
    expect(sameTarget(first, await resolveToolPath(ws, 'src/a.txt'))).toBe(true);
    // The folder replaced by another one at the same path: not the same target.
    // (The old one kept alive, so its inode number cannot be reused.)
    await rename(path.join(ws, 'src'), path.join(ws, 'src-old'));
    await mkdir(path.join(ws, 'src'));
    expect(sameTarget(first, await resolveToolPath(ws, 'src/a.txt'))).toBe(false);
  });

  it('resolves the scope: the workspace, HERMES_HOME and tools.readable as real paths', async () => {
    await symlink(path.join(root, 'ws'), path.join(root, 'ws-link'));
    await symlink(path.join(root, 'outside'), path.join(root, 'out-link'));
    const s = await resolveScope(
      path.join(root, 'ws-link'),
      path.join(root, 'out-link'),
      ['~/deep', '/nonexistent/x'],
      { HOME: path.join(root, 'out-link') },
      '/home/me',
    );
    expect(s).toEqual({
      workspace: path.join(root, 'ws'),
      hermesHome: path.join(root, 'outside'),
      readable: [path.join(root, 'outside', 'deep'), '/nonexistent/x'],
      home: '/home/me',
    });
  });
});
