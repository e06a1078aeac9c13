import os from 'node:os';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { absolutePath, diffsOfUnified, editDiffs, textContent, toolKind, toolLocations, toolTitle } from './tool-calls.js';

const unified = (before: string, after: string) =>
  createTwoFilesPatch('a/f.txt', 'b/f.txt', before, after, undefined, undefined, { context: 1 });

describe('tool calls in an editor', () => {
  it('kinds follow the tool', () => {
    expect(
      ['terminal', 'read_file', 'write_file', 'patch', 'search_files', 'web_fetch', 'mcp__fs__read', 'anything'].map(toolKind),
    ).toEqual(['execute', 'read', 'edit', 'edit', 'search', 'fetch', 'other', 'other']);
  });

  it('titles are one short line, whatever the model sent', () => {
    expect(toolTitle('terminal', { command: 'rm -rf build' })).toBe('rm -rf build');
    expect(toolTitle('terminal', { command: 'cat <<EOF > x\nsecret stuff\nEOF' })).toBe('cat <<EOF > x …');
    expect(toolTitle('terminal', { command: 'x'.repeat(5000) }).length).toBe(200);
    expect(toolTitle('terminal', { command: 42 })).toBe('terminal');
    expect(toolTitle('patch', { path: 'src/a.ts' })).toBe('Edit src/a.ts');
    expect(toolTitle('search_files', { pattern: 'TODO\n', path: 'src' })).toBe('Search "TODO\\n" in src');
    expect(toolTitle('mcp__x__y', {})).toBe('mcp__x__y');
  });

  it('locations are absolute, against the workspace', () => {
    expect(toolLocations('read_file', { path: 'src/a.ts', offset: 10 }, '/ws')).toEqual([{ path: '/ws/src/a.ts', line: 10 }]);
    expect(toolLocations('read_file', { path: 'a', offset: -3 }, '/ws')).toEqual([{ path: '/ws/a' }]);
    expect(toolLocations('write_file', { path: '/etc/hosts' }, '/ws')).toEqual([{ path: '/etc/hosts' }]);
    expect(toolLocations('terminal', { command: 'ls', workdir: 'sub' }, '/ws')).toEqual([{ path: '/ws/sub' }]);
    expect(toolLocations('terminal', { command: 'ls' }, '/ws')).toEqual([]);
    expect(absolutePath('/ws', '~/notes')).toBe(`${os.homedir()}/notes`);
    expect(absolutePath('/ws', '../../etc/passwd')).toBe('/etc/passwd');
  });

  it('a unified diff becomes one ACP diff per hunk', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nB\nc\nd\ne\nf\nG\nh\n';
    expect(diffsOfUnified(unified(before, after), '/ws/f.txt')).toEqual([
      { type: 'diff', path: '/ws/f.txt', oldText: 'a\nb\nc', newText: 'a\nB\nc' },
      { type: 'diff', path: '/ws/f.txt', oldText: 'f\ng\nh', newText: 'f\nG\nh' },
    ]);
  });

  it('removed lines that look like headers stay in the hunk', () => {
    const before = 'x\n-- comment\n++ counter\ny\n';
    const after = 'x\ny\n';
    const [d] = diffsOfUnified(unified(before, after), '/f');
    expect(d).toEqual({ type: 'diff', path: '/f', oldText: 'x\n-- comment\n++ counter\ny', newText: 'x\ny' });
  });

  it('no-newline markers and junk around hunks are skipped; no hunk, no diff', () => {
    const d = diffsOfUnified(unified('one', 'two'), '/f');
    expect(d).toEqual([{ type: 'diff', path: '/f', oldText: 'one', newText: 'two' }]);
    expect(diffsOfUnified('not a diff at all\n@@ nonsense @@\n', '/f')).toEqual([]);
    expect(diffsOfUnified('', '/f')).toEqual([]);
  });

  it('edits fall back to their arguments when hermes sent no diff', () => {
    expect(editDiffs('patch', { path: 'a.ts', old_string: 'x', new_string: 'y' }, '/ws')).toEqual([
      { type: 'diff', path: '/ws/a.ts', oldText: 'x', newText: 'y' },
    ]);
    expect(editDiffs('write_file', { path: 'n.md', content: 'hi' }, '/ws')).toEqual([
      { type: 'diff', path: '/ws/n.md', oldText: null, newText: 'hi' },
    ]);
    expect(editDiffs('terminal', { command: 'ls' }, '/ws')).toEqual([]);
    expect(editDiffs('patch', { old_string: 'x', new_string: 'y' }, '/ws')).toEqual([]);
  });

  it('fenced text cannot be closed early by the output', () => {
    const c = textContent('before\n```\nafter\n', true);
    expect(c).toEqual({ type: 'content', content: { type: 'text', text: '````\nbefore\n```\nafter\n````' } });
  });
});
