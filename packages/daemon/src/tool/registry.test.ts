import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, defaultRegistry, getTool, runTool, toolSpecs, withoutTools } from './registry.js';
import type { Tool, ToolContext } from './types.js';

const ctx = (workspace: string): ToolContext => ({
  workspace,
  env: process.env,
  signal: new AbortController().signal,
  onOutput: () => undefined,
});

describe('registry', () => {
  it('lists every built-in tool with a JSON schema for the provider', () => {
    const specs = toolSpecs();
    expect(specs.map((s) => s.name)).toEqual([
      'terminal',
      'read_file',
      'write_file',
      'patch',
      'search_files',
      'todo_write',
      'clarify',
      'web_fetch',
    ]);
    for (const s of specs) {
      expect(s.parameters).toMatchObject({ type: 'object' });
      expect(s.parameters).not.toHaveProperty('$schema');
      expect(s.description.length).toBeGreaterThan(20);
    }
    expect(specs.find((s) => s.name === 'patch')!.parameters).toMatchObject({ required: ['path', 'old_string', 'new_string'] });
    expect(getTool('read_file')?.readOnly).toBe(true);
    expect(getTool('terminal')?.readOnly).toBe(false);
    expect(getTool('search_files')?.summarize({ pattern: 'x', target: 'content' })).toBe('grep x');
  });

  it('turns unknown tools and invalid arguments into results, never throws', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-reg-'));
    try {
      const unknown = await runTool('rm_everything', {}, ctx(dir));
      expect(unknown).toMatchObject({ ok: false });
      expect(unknown.result).toMatch(/Unknown tool "rm_everything". Available tools: terminal, read_file/);
      const invalid = await runTool('read_file', { path: 3, extra: true }, ctx(dir));
      expect(invalid.ok).toBe(false);
      expect(invalid.result).toMatch(/Invalid arguments for read_file/);
      expect(invalid.result).toMatch(/path/);
      expect((await runTool('terminal', null, ctx(dir))).result).toMatch(/Invalid arguments for terminal/);
      const ok = await runTool('write_file', { path: 'x.txt', content: 'hi' }, ctx(dir));
      expect(ok.ok).toBe(true);
      expect((await runTool('read_file', { path: 'x.txt' }, ctx(dir))).result).toBe('     1\thi');
      // search_files target defaults to content
      expect((await runTool('search_files', { pattern: 'hi' }, ctx(dir))).result).toBe('x.txt:1:hi');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('withoutTools hides a tool from the specs and makes a call to it unknown', async () => {
    const r = withoutTools(defaultRegistry, ['clarify']);
    expect(r.toolSpecs().map((s) => s.name)).not.toContain('clarify');
    expect(r.toolSpecs()).toHaveLength(toolSpecs().length - 1);
    const call = r.parseCall('clarify', { questions: [{ question: 'q?' }] });
    expect('error' in call && call.error.result).toMatch(/Unknown tool "clarify"/);
  });

  it('catches a tool that throws', async () => {
    const Args = z.object({});
    const boom: Tool<typeof Args> = {
      name: 'boom',
      description: 'throws',
      parameters: {},
      readOnly: true,
      argsSchema: Args,
      summarize: () => 'boom',
      execute: () => Promise.reject(new Error('kaput')),
    };
    const reg = createRegistry([boom as unknown as Tool]);
    expect(await reg.runTool('boom', {}, ctx('/tmp'))).toEqual({ ok: false, result: 'boom failed: kaput' });
    expect(reg.parseCall('boom', {})).toMatchObject({ args: {} });
  });
});
