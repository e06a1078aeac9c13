import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRipgrep, searchFilesTool, searchWithRipgrep } from './search-files.js';
import type { ToolContext } from './types.js';

let dir = '';
let ctx: ToolContext;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-search-'));
  ctx = { workspace: dir, env: process.env, signal: new AbortController().signal, onOutput: () => undefined };
  const files: Record<string, string | Buffer> = {
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    'src/a.ts': 'export const alpha = 1;\n// TODO: fix alpha\n',
    'src/b.ts': 'export const beta = 2;\n',
    'src/sub/c.py': 'alpha = 3\n',
    'src/sub/.gitignore': 'generated.ts\n',
    'src/sub/generated.ts': 'alpha generated\n',
    'dist/out.js': 'alpha in dist\n',
    'debug.log': 'alpha in log\n',
    'keep.log': 'alpha kept\n',
    'node_modules/pkg/index.js': 'alpha in deps\n',
    '.git/config': 'alpha in git\n',
    'image.bin': Buffer.from([0x61, 0x6c, 0x70, 0x68, 0x61, 0, 1, 2]),
    'many.txt': Array.from({ length: 300 }, (_, i) => `hit ${i}`).join('\n') + '\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const engines: [string, boolean][] = [['node fallback', false]];

describe.each(engines)('search_files (%s)', (_name, useRg) => {
  const search = (args: Record<string, unknown>) => searchFilesTool.executeWith(searchFilesTool.argsSchema.parse(args), ctx, useRg);

  it('finds content as path:line:text, respecting .gitignore (nested too) and skipping .git, node_modules, binaries', async () => {
    const r = await search({ pattern: 'alpha' });
    expect(r.ok).toBe(true);
    expect(r.result.split('\n')).toEqual([
      'keep.log:1:alpha kept',
      'src/a.ts:1:export const alpha = 1;',
      'src/a.ts:2:// TODO: fix alpha',
      'src/sub/c.py:1:alpha = 3',
    ]);
  });

  it('filters by glob and path', async () => {
    expect((await search({ pattern: 'alpha', glob: '*.py' })).result).toBe('src/sub/c.py:1:alpha = 3');
    expect((await search({ pattern: 'const', path: 'src', glob: '*.ts' })).result.split('\n')).toEqual([
      'src/a.ts:1:export const alpha = 1;',
      'src/b.ts:1:export const beta = 2;',
    ]);
    expect((await search({ pattern: 'beta', path: 'src/b.ts' })).result).toBe('src/b.ts:1:export const beta = 2;');
  });

  it('lists files by glob or by name fragment', async () => {
    expect((await search({ pattern: '*.ts', target: 'files' })).result.split('\n')).toEqual(['src/a.ts', 'src/b.ts']);
    expect((await search({ pattern: 'c.p', target: 'files' })).result).toBe('src/sub/c.py');
    expect((await search({ pattern: '*', target: 'files', glob: 'src/**' })).result.split('\n')).toEqual([
      'src/a.ts',
      'src/b.ts',
      'src/sub/.gitignore',
      'src/sub/c.py',
    ]);
  });

  it('cuts results at the limit and says so', async () => {
    const r = await search({ pattern: '^hit', limit: 5 });
    expect(r.result.split('\n').slice(0, 5)).toEqual([
      'many.txt:1:hit 0',
      'many.txt:2:hit 1',
      'many.txt:3:hit 2',
      'many.txt:4:hit 3',
      'many.txt:5:hit 4',
    ]);
    expect(r.result).toMatch(/\[results cut at 5 matches/);
    const d = await search({ pattern: '^hit' });
    expect(d.result.split('\n')).toHaveLength(101);
  });

  it('reports no matches, bad regexes and missing paths clearly', async () => {
    expect((await search({ pattern: 'zzzz' })).result).toMatch(/^No matches for "zzzz"/);
    expect((await search({ pattern: '(' })).result).toMatch(/Invalid regular expression/);
    expect((await search({ pattern: 'x', path: 'missing' })).result).toBe('File not found: missing');
  });
});

describe('search_files with ripgrep', () => {
  it('gives the same results as the fallback when rg is installed', async () => {
    const rg = await findRipgrep();
    if (!rg) return; // rg is optional; the fallback is tested above
    for (const args of [
      { pattern: 'alpha' },
      { pattern: '*.ts', target: 'files' },
      { pattern: 'const', path: 'src', glob: '*.ts' },
      { pattern: '^hit', limit: 5 },
    ]) {
      const parsed = searchFilesTool.argsSchema.parse(args);
      expect((await searchFilesTool.executeWith(parsed, ctx, true)).result).toBe(
        (await searchFilesTool.executeWith(parsed, ctx, false)).result,
      );
    }
  });
});

describe('search_files with ripgrep: paths never read', () => {
  it('drops every result under ctx.unreadable, whatever rg prints', async () => {
    // A stand-in for rg that prints what a real one would find in a workspace holding HERMES_HOME.
    const fake = path.join(dir, 'fake-rg.sh');
    const hh = path.join(dir, '.hermes');
    await writeFile(
      fake,
      `#!/bin/sh\nprintf '%s\\0%s\\n' '${path.join(hh, 'daemon.json')}' '1:{"token":"t0k"}' '${path.join(dir, 'src', 'a.ts')}' '1:token ok' '${path.join(hh, 'sessions', 'x.jsonl')}' '2:t0k'\n`,
      { mode: 0o755 },
    );
    const out = await searchWithRipgrep(fake, { pattern: 'token', target: 'content' }, dir, { ...ctx, unreadable: [hh] }, 100);
    expect(out.lines).toEqual(['src/a.ts:1:token ok']);
  });
});
