import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachFiles, escapeAtPath, expandPastes, missingPastes } from './attachments.js';
import { copyText, osc52 } from './clipboard.js';
import { stepHistory, type HistoryEntry } from './history.js';
import { atToken, completePath } from './paths.js';
import { classifySubmit } from './submit.js';

let ws: string;
beforeAll(async () => {
  ws = await mkdtemp(path.join(os.tmpdir(), 'hermes-input-test-'));
  await writeFile(path.join(ws, 'my file.txt'), 'spaced content\n');
  await writeFile(path.join(ws, 'plain.txt'), 'plain content\n');
  await mkdir(path.join(ws, 'a dir'));
  await writeFile(path.join(ws, 'a dir', 'inner.md'), '# inner\n');
});
afterAll(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('@path with spaces', () => {
  it('completion escapes the space, and the escaped path attaches', async () => {
    const items = await completePath(ws, 'my');
    expect(items.map((i) => i.value)).toEqual(['@my\\ file.txt']);
    const r = await attachFiles(`look at ${items[0]!.value} please`, ws);
    expect(r.attached).toEqual(['my file.txt']);
    expect(r.text).toContain('spaced content');
  });
  it('completes inside a folder with a space, from an escaped partial', async () => {
    const draft = 'see @a\\ dir/in';
    const at = atToken(draft, draft.length)!;
    expect(at.partial).toBe('a dir/in');
    expect((await completePath(ws, at.partial)).map((i) => i.value)).toEqual(['@a\\ dir/inner.md']);
  });
  it('quoted and typed-unescaped names attach too', async () => {
    expect((await attachFiles('read @"my file.txt"', ws)).attached).toEqual(['my file.txt']);
    expect((await attachFiles('read @my file.txt now', ws)).attached).toEqual(['my file.txt']);
  });
  it('never drops a path silently: missing files and folders are said', async () => {
    const r = await attachFiles('compare @nope.txt with @a\\ dir/ and @plain.txt, thanks @alice', ws);
    expect(r.attached).toEqual(['plain.txt']);
    expect(r.skipped).toEqual(['@nope.txt (no such file)', '@a dir/ (a folder: only files are attached)']);
  });
  it('escapes backslashes as well as spaces', () => {
    expect(escapeAtPath('a b\\c')).toBe('a\\ b\\\\c');
  });
});

describe('pastes', () => {
  it('expand by number, and a placeholder with no text behind it is found', () => {
    const text = 'a [Pasted text #1: 3 lines] b [Pasted text #2: 9 lines]';
    expect(expandPastes(text, { 1: 'x\ny\nz' })).toBe('a x\ny\nz b [Pasted text #2: 9 lines]');
    expect(missingPastes(text, { 1: 'x' })).toEqual(['[Pasted text #2: 9 lines]']);
  });
});

describe('history steps', () => {
  const h: HistoryEntry[] = [
    { text: 'one', pastes: {} },
    { text: 'two [Pasted text #1: 7 lines]', pastes: { 1: 'p' } },
  ];
  it('walks back, then forward to the draft it left', () => {
    const current = { text: 'typing', pastes: {} };
    const a = stepHistory(h, null, -1, current)!;
    expect(a.entry).toEqual(h[1]);
    const b = stepHistory(h, a.pos, -1, current)!;
    expect(b.entry.text).toBe('one');
    expect(stepHistory(h, b.pos, -1, current)).toBeNull();
    const c = stepHistory(h, stepHistory(h, b.pos, 1, current)!.pos, 1, current)!;
    expect(c).toEqual({ pos: null, entry: current });
  });
});

describe('submit', () => {
  it('tells commands from messages', () => {
    expect(classifySubmit('  ')).toEqual({ kind: 'none' });
    expect(classifySubmit('/help')).toEqual({ kind: 'command', text: '/help' });
    expect(classifySubmit('/etc/hosts is wrong')).toEqual({ kind: 'message', text: '/etc/hosts is wrong' });
    expect(classifySubmit('//model is a word')).toEqual({ kind: 'message', text: '/model is a word' });
  });
});

describe('/copy', () => {
  it('inside tmux asks tmux to load its buffer and set the clipboard (no DCS passthrough)', async () => {
    const calls: { cmd: string; args: string[]; input: string }[] = [];
    const written: string[] = [];
    const r = await copyText(
      'hello',
      (s) => written.push(s),
      { TMUX: '/tmp/tmux-0/default,1,0' },
      async (cmd, args, input) => {
        calls.push({ cmd, args, input });
      },
    );
    expect(calls).toEqual([{ cmd: 'tmux', args: ['load-buffer', '-w', '-'], input: 'hello' }]);
    expect(r.confirmed).toBe(true);
    expect(written.join('')).not.toContain('\x1bPtmux');
  });
  it('falls back to plain OSC 52 and says it cannot be confirmed', async () => {
    const written: string[] = [];
    const r = await copyText(
      'hello',
      (s) => written.push(s),
      { TMUX: 'x' },
      async () => {
        throw new Error('no tmux');
      },
    );
    expect(written).toEqual([osc52('hello')]);
    expect(r.confirmed).toBe(false);
    expect(r.how).toContain('set-clipboard on');
    const outside = await copyText('hi', (s) => written.push(s), {});
    expect(outside.confirmed).toBe(false);
  });
});
