import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInstructions, MAX_FILE_BYTES, nestedInstructions } from './load.js';
import { instructionsBlock } from './render.js';

let tmp: string;
let home: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hermes-instr-'));
  home = path.join(tmp, 'home');
  await mkdir(home);
});
afterEach(async () => rm(tmp, { recursive: true, force: true }));

async function put(rel: string, text: string): Promise<string> {
  const file = path.join(tmp, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('loadInstructions', () => {
  it('takes one file per folder, the first of .hermes.md, HERMES.md, AGENTS.md, CLAUDE.md', async () => {
    await mkdir(path.join(tmp, 'repo/.git'), { recursive: true });
    await put('repo/CLAUDE.md', 'claude');
    await put('repo/AGENTS.md', 'agents');
    await put('repo/a/CLAUDE.md', 'claude-a');
    await put('repo/a/b/HERMES.md', 'hermes-b');
    await put('repo/a/b/.hermes.md', 'dot-hermes-b');
    await put('repo/a/b/AGENTS.md', 'agents-b');
    const files = await loadInstructions({ home, workspace: path.join(tmp, 'repo/a/b') });
    expect(files.map((f) => f.content)).toEqual(['agents', 'claude-a', 'dot-hermes-b']);
    const only = await loadInstructions({ home, workspace: path.join(tmp, 'repo/a/b'), names: ['CLAUDE.md'] });
    expect(only.map((f) => f.content)).toEqual(['claude', 'claude-a']);
  });

  it('goes global first, then root to leaf, and stops at the git root (a .git file counts)', async () => {
    await put('home/AGENTS.md', 'global');
    await put('AGENTS.md', 'above the root: never read');
    await put('outer/.git', 'gitdir: /elsewhere');
    await put('outer/AGENTS.md', 'root');
    await put('outer/pkg/AGENTS.md', 'leaf');
    const files = await loadInstructions({ home, workspace: path.join(tmp, 'outer/pkg') });
    expect(files.map((f) => [f.scope, f.content])).toEqual([
      ['global', 'global'],
      ['project', 'root'],
      ['project', 'leaf'],
    ]);
    const block = instructionsBlock(files, path.join(tmp, 'outer/pkg'));
    expect(block.indexOf('global')).toBeLessThan(block.indexOf('root'));
    expect(block.indexOf('root')).toBeLessThan(block.indexOf('leaf'));
    expect(block).toContain('Nearer files override earlier ones');
    expect(block).toContain('<instructions path="AGENTS.md" scope="project">');
  });

  it('without a git root, reads only the workspace folder', async () => {
    await put('AGENTS.md', 'parent');
    await put('ws/AGENTS.md', 'ws');
    const files = await loadInstructions({ home, workspace: path.join(tmp, 'ws') });
    expect(files.map((f) => f.content)).toEqual(['ws']);
  });

  it('expands @imports: 5 levels deep and no more, cycles skipped, code fences left alone, nothing outside the project', async () => {
    await mkdir(path.join(tmp, 'p/.git'), { recursive: true });
    await put('p/AGENTS.md', ['top', '@docs/l1.md', '```', '@docs/never.md', '```', '@../secret.md', '@~/x.md', '@missing.md'].join('\n'));
    for (let i = 1; i <= 6; i++) await put(`p/docs/l${i}.md`, `level ${i}\n@l${i + 1}.md`);
    await put('p/docs/l7.md', 'level 7');
    await put('secret.md', 'SECRET');
    await put('p/docs/never.md', 'NEVER');
    const [f] = await loadInstructions({ home, workspace: path.join(tmp, 'p') });
    const c = f!.content;
    for (let i = 1; i <= 5; i++) expect(c).toContain(`level ${i}`);
    expect(c).not.toContain('level 6');
    expect(c).toContain('more than 5 levels deep');
    expect(c).toContain('@docs/never.md');
    expect(c).not.toContain('NEVER');
    expect(c).not.toContain('SECRET');
    expect(c).toContain('import refused (outside the project): ../secret.md');
    expect(c).toContain('import refused (outside the project): ~/x.md');
    expect(c).toContain('import not found: missing.md');

    await put('p/AGENTS.md', 'a\n@b.md');
    await put('p/b.md', 'b\n@AGENTS.md');
    const [g] = await loadInstructions({ home, workspace: path.join(tmp, 'p') });
    expect(g!.content).toBe('a\nb\n<!-- import skipped (cycle): AGENTS.md -->');
  });

  it('cuts a file at 32 KiB with a marker naming the file to read', async () => {
    const file = await put('w/AGENTS.md', 'é'.repeat(40_000));
    const [f] = await loadInstructions({ home, workspace: path.join(tmp, 'w') });
    expect(f!.truncated).toBe(true);
    expect(Buffer.byteLength(f!.content)).toBeLessThanOrEqual(MAX_FILE_BYTES);
    expect(f!.content).toContain(`Use read_file on ${file} for the rest`);
    expect(f!.content).not.toContain('\uFFFD');
    const small = await put('v/AGENTS.md', 'x'.repeat(MAX_FILE_BYTES));
    const [s] = await loadInstructions({ home, workspace: path.dirname(small) });
    expect(s!.truncated).toBe(false);
  });

  it('caps the whole set at 64 KiB, the farther files giving way', async () => {
    await mkdir(path.join(tmp, 'r/.git'), { recursive: true });
    await put('r/AGENTS.md', 'r'.repeat(30_000));
    await put('r/a/AGENTS.md', 'a'.repeat(30_000));
    await put('r/a/b/AGENTS.md', 'b'.repeat(30_000));
    const files = await loadInstructions({ home, workspace: path.join(tmp, 'r/a/b') });
    const total = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    expect(total).toBeLessThanOrEqual(64 * 1024);
    expect(files.at(-1)!.truncated).toBe(false);
    expect(files[0]!.truncated).toBe(true);
  });
});

describe('nestedInstructions', () => {
  it('finds the files between the workspace and a touched path, skipping those already attached', async () => {
    await put('ws/AGENTS.md', 'top');
    const a = await put('ws/pkg/a/AGENTS.md', 'pkg a');
    await put('ws/pkg/b/AGENTS.md', 'pkg b');
    const o = { home, workspace: path.join(tmp, 'ws') };
    const first = await nestedInstructions(path.join(tmp, 'ws/pkg/a/x.ts'), o, new Set());
    expect(first.map((f) => [f.path, f.content, f.scope])).toEqual([[a, 'pkg a', 'nested']]);
    expect(await nestedInstructions(path.join(tmp, 'ws/pkg/a/y.ts'), o, new Set([a]))).toEqual([]);
    expect(await nestedInstructions(path.join(tmp, 'ws/top.ts'), o, new Set())).toEqual([]);
    expect(await nestedInstructions(path.join(tmp, 'elsewhere/x.ts'), o, new Set())).toEqual([]);
  });
});
