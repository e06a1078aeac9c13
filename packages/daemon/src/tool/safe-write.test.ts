import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTarget } from './resolve.js';
import { readTextForEdit, targetFor, writeResolved } from './safe-write.js';
import { readFileTool } from './read-file.js';
import { searchFilesTool } from './search-files.js';
import { writeFileTool } from './write-file.js';
import type { ToolContext } from './types.js';

let root = '';
let ws = '';
let outside = '';
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hermes-safe-write-')));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(path.join(ws, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'victim.txt'), 'original\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const victim = () => readFile(path.join(outside, 'victim.txt'), 'utf8');

describe('writeResolved', () => {
  it('writes atomically in the resolved folder and leaves no temp file', async () => {
    const t = await resolveTarget(path.join(ws, 'sub', 'a.txt'));
    await writeResolved(t, 'sub/a.txt', 'hello\n');
    expect(await readFile(path.join(ws, 'sub', 'a.txt'), 'utf8')).toBe('hello\n');
    expect(await readdir(path.join(ws, 'sub'))).toEqual(['a.txt']);
  });

  it('refuses when the file became a link to an outside file after it was resolved', async () => {
    await writeFile(path.join(ws, 'a.txt'), 'mine\n');
    const t = await resolveTarget(path.join(ws, 'a.txt'));
    await rm(path.join(ws, 'a.txt'));
    await symlink(path.join(outside, 'victim.txt'), path.join(ws, 'a.txt'));
    await expect(writeResolved(t, 'a.txt', 'evil\n')).rejects.toThrow(/changed after it was checked/);
    expect(await victim()).toBe('original\n');
  });

  it('refuses when the parent folder became a link (or another folder) after it was resolved', async () => {
    await writeFile(path.join(outside, 'a.txt'), 'outside a\n');
    const t = await resolveTarget(path.join(ws, 'sub', 'a.txt'));
    await rename(path.join(ws, 'sub'), path.join(ws, 'sub-old'));
    await symlink(outside, path.join(ws, 'sub'));
    await expect(writeResolved(t, 'sub/a.txt', 'evil\n')).rejects.toThrow(/changed after it was checked/);
    expect(await readFile(path.join(outside, 'a.txt'), 'utf8')).toBe('outside a\n');
    expect(await readdir(outside)).toEqual(['a.txt', 'victim.txt']);
    // Replaced by a real folder of the same name: a different folder, refused too.
    await rm(path.join(ws, 'sub'));
    await mkdir(path.join(ws, 'sub'));
    await expect(writeResolved(t, 'sub/a.txt', 'x')).rejects.toThrow(/was replaced/);
  });

  it('creates missing folders under the resolved ancestor', async () => {
    const t = await resolveTarget(path.join(ws, 'new', 'deep', 'b.txt'));
    await writeResolved(t, 'new/deep/b.txt', 'b');
    expect(await readFile(path.join(ws, 'new', 'deep', 'b.txt'), 'utf8')).toBe('b');
  });

  it('the write_file tool, handed a target judged earlier, fails rather than follow a swapped-in link', async () => {
    const ctx: ToolContext = { workspace: ws, env: { HOME: root }, signal: new AbortController().signal, onOutput: () => undefined };
    await writeFile(path.join(ws, 'a.txt'), 'mine\n');
    const judged = await resolveTarget(path.join(ws, 'a.txt'));
    await rm(path.join(ws, 'a.txt'));
    await symlink(path.join(outside, 'victim.txt'), path.join(ws, 'a.txt'));
    const r = await writeFileTool.execute({ path: 'a.txt', content: 'evil\n' }, { ...ctx, target: judged });
    expect(r).toMatchObject({ ok: false });
    expect(r.result).toMatch(/a\.txt changed after it was checked \(it now leads to .*victim\.txt\)/);
    expect(await victim()).toBe('original\n');
  });

  it('targetFor accepts a path judged earlier that did not change', async () => {
    const ctx: ToolContext = { workspace: ws, env: {}, signal: new AbortController().signal, onOutput: () => undefined };
    const judged = await resolveTarget(path.join(ws, 'sub', 'x'));
    expect((await targetFor(path.join(ws, 'sub', 'x'), 'sub/x', { ...ctx, target: judged })).real).toBe(path.join(ws, 'sub', 'x'));
  });
});

describe('reads of a target judged earlier', () => {
  it('read_file and search_files fail rather than follow a link swapped in, and return nothing of it', async () => {
    const ctx: ToolContext = { workspace: ws, env: { HOME: root }, signal: new AbortController().signal, onOutput: () => undefined };
    await writeFile(path.join(outside, 'victim.txt'), 'TOPSECRET\n');
    await writeFile(path.join(ws, 'a.txt'), 'mine\n');
    const file = await resolveTarget(path.join(ws, 'a.txt'));
    const dir = await resolveTarget(path.join(ws, 'sub'));
    await rm(path.join(ws, 'a.txt'));
    await symlink(path.join(outside, 'victim.txt'), path.join(ws, 'a.txt'));
    await rename(path.join(ws, 'sub'), path.join(ws, 'sub-old'));
    await symlink(outside, path.join(ws, 'sub'));
    const r = await readFileTool.execute({ path: 'a.txt' }, { ...ctx, target: file });
    expect(r.ok).toBe(false);
    expect(r.result).toMatch(/changed after it was checked/);
    expect(r.result).not.toContain('TOPSECRET');
    const s = await searchFilesTool.executeWith({ pattern: 'TOPSECRET', target: 'content', path: 'sub' }, { ...ctx, target: dir }, false);
    expect(s.ok).toBe(false);
    expect(s.result).toMatch(/changed after it was checked/);
    expect(s.result).not.toContain('TOPSECRET');
  });
});

describe('readTextForEdit', () => {
  it('does not follow a link in place of the file, and does not hang on a FIFO', async () => {
    await symlink(path.join(outside, 'victim.txt'), path.join(ws, 'l.txt'));
    await expect(readTextForEdit(path.join(ws, 'l.txt'), 'l.txt')).rejects.toThrow(/symbolic link/);
    execFileSync('mkfifo', [path.join(ws, 'fifo')]);
    await expect(readTextForEdit(path.join(ws, 'fifo'), 'fifo')).rejects.toThrow(/not a regular file/);
    await writeFile(path.join(ws, 'm.txt'), 'text', { mode: 0o640 });
    expect(await readTextForEdit(path.join(ws, 'm.txt'), 'm.txt')).toEqual({
      text: 'text',
      mode: (await stat(path.join(ws, 'm.txt'))).mode & 0o7777,
    });
  });
});
