import type { PendingApproval } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { approvalKey } from './approval.js';
import { ctrlCAction } from './ctrl-c.js';
import { edit, emptyDraft } from './editor.js';
import { InputDecoder, parseKey } from './parse.js';

const ALL = { choices: ['once', 'session', 'always', 'deny'] } satisfies Pick<PendingApproval, 'choices'>;

describe('approval keys', () => {
  it('a stray Enter with nothing selected answers nothing', () => {
    expect(approvalKey(ALL, null, parseKey('\r'))).toEqual({ selection: null });
  });
  it('letters and numbers answer at once; Esc denies', () => {
    expect(approvalKey(ALL, null, parseKey('o')).choice?.decision).toBe('once');
    expect(approvalKey(ALL, null, parseKey('s')).choice?.decision).toBe('session');
    expect(approvalKey(ALL, null, parseKey('3')).choice?.decision).toBe('always');
    expect(approvalKey(ALL, null, parseKey('d')).choice?.decision).toBe('deny');
    expect(approvalKey(ALL, null, parseKey('\x1b')).choice?.decision).toBe('deny');
  });
  it('arrows select, then Enter answers', () => {
    const a = approvalKey(ALL, null, parseKey('\x1b[B'));
    const b = approvalKey(ALL, a.selection, parseKey('\x1b[B'));
    expect(approvalKey(ALL, b.selection, parseKey('\r')).choice?.decision).toBe('session');
  });
  it("an MCP tool's whole server: `e`, its number, or arrows past `always`", () => {
    const mcp = { choices: ALL.choices, patterns: ['mcp__fs__*'] };
    expect(approvalKey(mcp, null, parseKey('e')).choice).toEqual({ decision: 'always', pattern: 'mcp__fs__*' });
    expect(approvalKey(mcp, null, parseKey('4')).choice).toEqual({ decision: 'always', pattern: 'mcp__fs__*' });
    expect(approvalKey(mcp, null, parseKey('5')).choice).toEqual({ decision: 'deny' });
    expect(approvalKey(mcp, null, parseKey('a')).choice).toEqual({ decision: 'always' });
    // Without a wider rule, `e` answers nothing.
    expect(approvalKey(ALL, null, parseKey('e')).choice).toBeUndefined();
  });
  it('choices the daemon did not offer are skipped', () => {
    expect(approvalKey({ choices: ['once', 'deny'] }, null, parseKey('a')).choice).toBeUndefined();
    expect(approvalKey({ choices: ['once', 'deny'] }, null, parseKey('2')).choice?.decision).toBe('deny');
  });
});

describe('Ctrl+C', () => {
  it('clears, cancels, arms, exits', () => {
    expect(ctrlCAction({ draftEmpty: false, running: true, armedAt: null, now: 0 })).toBe('clear');
    expect(ctrlCAction({ draftEmpty: true, running: true, armedAt: null, now: 0 })).toBe('cancel');
    expect(ctrlCAction({ draftEmpty: true, running: false, armedAt: null, now: 0 })).toBe('arm-exit');
    expect(ctrlCAction({ draftEmpty: true, running: false, armedAt: 1000, now: 2000 })).toBe('exit');
    expect(ctrlCAction({ draftEmpty: true, running: false, armedAt: 0, now: 5000 })).toBe('arm-exit');
  });
});

describe('key decoding', () => {
  it('decodes newline keys', () => {
    expect(parseKey('\x1b\r').name).toBe('newline');
    expect(parseKey('\n').name).toBe('newline');
    expect(parseKey('\x1b[13;2u').name).toBe('newline');
    expect(parseKey('\x1b[27;2;13~').name).toBe('newline');
    expect(parseKey('\r').name).toBe('enter');
    expect(parseKey('\x17')).toMatchObject({ name: 'char', ctrl: true, text: 'w' });
  });
  it('collects a bracketed paste split over several events', () => {
    const d = new InputDecoder();
    expect(d.push('\x1b[200~')).toEqual([]);
    expect(d.push('line one\r')).toEqual([]);
    expect(d.push('\x1b[A')).toEqual([]);
    expect(d.push('line two\x1b[201~')).toEqual([{ kind: 'paste', text: 'line one\n\x1b[Aline two' }]);
  });
  it('text typed with a trailing CR is text then Enter', () => {
    const events = new InputDecoder().push('say hi\r');
    expect(events.map((e) => (e.kind === 'key' ? e.key.name : 'paste'))).toEqual(['char', 'enter']);
  });
});

describe('draft editing', () => {
  it('Ctrl+W, Ctrl+U, Ctrl+K', () => {
    const d = edit(emptyDraft, { type: 'insert', text: 'hello big world' });
    expect(edit(d, { type: 'deleteWordBack' }).text).toBe('hello big ');
    const mid = { text: d.text, cursor: 6 };
    expect(edit(mid, { type: 'killToStart' }).text).toBe('big world');
    expect(edit(mid, { type: 'killToEnd' }).text).toBe('hello ');
  });
  it('moves between lines', () => {
    const d = { text: 'abc\nde', cursor: 6 };
    expect(edit(d, { type: 'up' }).cursor).toBe(2);
    expect(edit({ text: d.text, cursor: 1 }, { type: 'down' }).cursor).toBe(5);
  });
});
