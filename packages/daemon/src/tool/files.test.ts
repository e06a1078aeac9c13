import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patchTool } from './patch.js';
import { readFileTool } from './read-file.js';
import { writeFileTool } from './write-file.js';
import type { ToolContext } from './types.js';

let dir = '';
let ctx: ToolContext;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-files-'));
  ctx = { workspace: dir, env: { HOME: dir }, signal: new AbortController().signal, onOutput: () => undefined };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('read_file', () => {
  it('numbers lines cat -n style and honours offset and limit', async () => {
    await writeFile(path.join(dir, 'a.txt'), Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const all = await readFileTool.execute({ path: 'a.txt' }, ctx);
    expect(all.ok).toBe(true);
    expect(all.result.split('\n')[0]).toBe('     1\tline 1');
    expect(all.result).not.toContain('more lines');
    const part = await readFileTool.execute({ path: 'a.txt', offset: 3, limit: 2 }, ctx);
    expect(part.result).toBe('     3\tline 3\n     4\tline 4\n[… 6 more lines (10 total); continue with offset=5]');
    const past = await readFileTool.execute({ path: 'a.txt', offset: 50 }, ctx);
    expect(past).toMatchObject({ ok: false });
    expect(past.result).toMatch(/10 lines/);
  });

  it('defaults to 500 lines and says how many remain; caps long lines', async () => {
    await writeFile(path.join(dir, 'big.txt'), Array.from({ length: 800 }, (_, i) => `${i}`).join('\n') + '\n' + 'x'.repeat(5000));
    const r = await readFileTool.execute({ path: 'big.txt' }, ctx);
    expect(r.result).toContain('   500\t499');
    expect(r.result).toContain('[… 301 more lines (801 total); continue with offset=501]');
    const last = await readFileTool.execute({ path: 'big.txt', offset: 801 }, ctx);
    expect(last.result).toMatch(/x{2000}… \[line truncated: 5000 chars\]$/);
  });

  it('refuses binary files, directories, missing files and huge files with clear messages', async () => {
    await writeFile(path.join(dir, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    expect((await readFileTool.execute({ path: 'bin' }, ctx)).result).toMatch(/binary file/);
    await mkdir(path.join(dir, 'sub'));
    expect((await readFileTool.execute({ path: 'sub' }, ctx)).result).toMatch(/is a directory/);
    expect((await readFileTool.execute({ path: 'nope.txt' }, ctx)).result).toBe('File not found: nope.txt');
    const huge = path.join(dir, 'huge.log');
    await writeFile(huge, 'hello\n'.repeat(2 * 1024 * 1024));
    const r = await readFileTool.execute({ path: 'huge.log' }, ctx);
    expect(r.ok).toBe(false);
    expect(r.result).toMatch(/too large.*offset and limit.*search_files/);
    const slice = await readFileTool.execute({ path: 'huge.log', offset: 2, limit: 1 }, ctx);
    expect(slice.result).toMatch(/^ {5}2\thello\n\[… 2097150 more lines/);
    expect((await readFileTool.execute({ path: 'empty' }, ctx)).ok).toBe(false);
    await writeFile(path.join(dir, 'empty'), '');
    expect((await readFileTool.execute({ path: 'empty' }, ctx)).result).toMatch(/empty/);
  });

  it('reports permission errors', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    await writeFile(path.join(dir, 'secret'), 'x');
    await chmod(path.join(dir, 'secret'), 0o000);
    expect((await readFileTool.execute({ path: 'secret' }, ctx)).result).toBe('Permission denied: secret');
  });
});

describe('write_file', () => {
  it('creates parents, reports bytes and lines, and diffs against empty', async () => {
    const r = await writeFileTool.execute({ path: 'a/b/c.txt', content: 'one\ntwo\n' }, ctx);
    expect(r).toMatchObject({ ok: true });
    expect(r.result).toBe('Created a/b/c.txt: 8 bytes, 2 lines.');
    expect(await readFile(path.join(dir, 'a/b/c.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(r.diff).toContain('--- a/a/b/c.txt');
    expect(r.diff).toContain('+++ b/a/b/c.txt');
    expect(r.diff).toContain('+one');
  });

  it('overwrites atomically, keeps the mode, leaves no temp files, and diffs old vs new', async () => {
    const file = path.join(dir, 'run.sh');
    await writeFile(file, 'echo old\n');
    await chmod(file, 0o755);
    const r = await writeFileTool.execute({ path: 'run.sh', content: 'echo new\n' }, ctx);
    expect(r.result).toMatch(/^Wrote run.sh/);
    expect(r.diff).toContain('-echo old');
    expect(r.diff).toContain('+echo new');
    expect((await stat(file)).mode & 0o777).toBe(0o755);
    expect(await readdir(dir)).toEqual(['run.sh']);
    expect(await writeFileTool.preview!({ path: 'run.sh', content: 'echo newer\n' }, ctx)).toContain('+echo newer');
  });

  it('writes through a symlink instead of replacing it', async () => {
    await writeFile(path.join(dir, 'target.txt'), 'a');
    await symlink(path.join(dir, 'target.txt'), path.join(dir, 'link.txt'));
    await writeFileTool.execute({ path: 'link.txt', content: 'b' }, ctx);
    expect(await readFile(path.join(dir, 'target.txt'), 'utf8')).toBe('b');
  });

  it('refuses directories and reports unwritable folders', async () => {
    await mkdir(path.join(dir, 'd'));
    expect((await writeFileTool.execute({ path: 'd', content: 'x' }, ctx)).result).toMatch(/is a directory/);
    await writeFile(path.join(dir, 'f'), 'x');
    expect((await writeFileTool.execute({ path: 'f/child.txt', content: 'x' }, ctx)).result).toMatch(
      /not a directory|File not found|exists/i,
    );
    if (process.getuid?.() !== 0) {
      await mkdir(path.join(dir, 'ro'));
      await chmod(path.join(dir, 'ro'), 0o555);
      expect((await writeFileTool.execute({ path: 'ro/x.txt', content: 'x' }, ctx)).result).toMatch(/Permission denied/);
    }
  });

  it('resolves ~ and absolute paths', async () => {
    await writeFileTool.execute({ path: '~/home.txt', content: 'h' }, ctx);
    expect(await readFile(path.join(dir, 'home.txt'), 'utf8')).toBe('h');
    await writeFileTool.execute({ path: path.join(dir, 'abs.txt'), content: 'a' }, ctx);
    expect(await readFile(path.join(dir, 'abs.txt'), 'utf8')).toBe('a');
  });
});

describe('patch', () => {
  const file = () => path.join(dir, 'code.ts');
  beforeEach(async () => {
    await writeFile(file(), 'function a() {\n  return 1;\n}\nfunction b() {\n  return 1;\n}\n');
  });

  it('replaces a unique match and returns a unified diff', async () => {
    const r = await patchTool.execute(
      { path: 'code.ts', old_string: 'function a() {\n  return 1;', new_string: 'function a() {\n  return 2;' },
      ctx,
    );
    expect(r.ok).toBe(true);
    expect(r.result).toMatch(/^Replaced 1 occurrence in code.ts/);
    expect(r.diff).toContain('--- a/code.ts');
    expect(r.diff).toContain('-  return 1;');
    expect(r.diff).toContain('+  return 2;');
    expect(await readFile(file(), 'utf8')).toBe('function a() {\n  return 2;\n}\nfunction b() {\n  return 1;\n}\n');
  });

  it('refuses multiple matches unless replace_all', async () => {
    const r = await patchTool.execute({ path: 'code.ts', old_string: 'return 1;', new_string: 'return 3;' }, ctx);
    expect(r.ok).toBe(false);
    expect(r.result).toMatch(/found 2 times .*lines 2, 5.*replace_all/s);
    const all = await patchTool.execute({ path: 'code.ts', old_string: 'return 1;', new_string: 'return $&;', replace_all: true }, ctx);
    expect(all.result).toMatch(/^Replaced 2 occurrences/);
    expect(await readFile(file(), 'utf8')).not.toContain('return 1;');
    expect(await readFile(file(), 'utf8')).toContain('return $&;');
  });

  it('explains a miss, hinting when only whitespace differs', async () => {
    const miss = await patchTool.execute({ path: 'code.ts', old_string: 'return 9;', new_string: 'x' }, ctx);
    expect(miss.result).toMatch(/not found in code.ts.*Read the file again/);
    const ws = await patchTool.execute({ path: 'code.ts', old_string: 'function b() {\n    return 1;', new_string: 'x' }, ctx);
    expect(ws.result).toMatch(/near line 4 when whitespace is ignored/);
    expect((await patchTool.execute({ path: 'nope.ts', old_string: 'a', new_string: 'b' }, ctx)).result).toMatch(/File not found: nope.ts/);
    expect((await patchTool.execute({ path: 'code.ts', old_string: 'a', new_string: 'a' }, ctx)).result).toMatch(/identical/);
  });

  it('handles CRLF files when the model sends LF', async () => {
    await writeFile(file(), 'a\r\nb\r\nc\r\n');
    const r = await patchTool.execute({ path: 'code.ts', old_string: 'a\nb', new_string: 'A\nB' }, ctx);
    expect(r.ok).toBe(true);
    expect(await readFile(file(), 'utf8')).toBe('A\r\nB\r\nc\r\n');
  });

  it('keeps the file mode and previews without writing', async () => {
    await chmod(file(), 0o700);
    expect(await patchTool.preview!({ path: 'code.ts', old_string: 'function a', new_string: 'function z' }, ctx)).toContain('+function z');
    expect(await readFile(file(), 'utf8')).toContain('function a');
    await patchTool.execute({ path: 'code.ts', old_string: 'function a', new_string: 'function z' }, ctx);
    expect((await stat(file())).mode & 0o777).toBe(0o700);
  });
});
