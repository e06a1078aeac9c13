import { describe, expect, it } from 'vitest';
import { editDistance, intArg, typoOf } from './usage.js';

const COMMANDS = ['chat', 'attach', 'send', 'acp', 'sessions', 'config', 'daemon', 'sandbox', 'help'];

describe('typoOf', () => {
  it('finds the command a lone word was meant to be', () => {
    expect(typoOf('sesions', COMMANDS)).toBe('sessions');
    expect(typoOf('sned', COMMANDS)).toBe('send');
    expect(typoOf('confg', COMMANDS)).toBe('config');
    expect(typoOf('demon', COMMANDS)).toBe('daemon');
    expect(typoOf('Sessions', COMMANDS)).toBeNull(); // a known name, just capitalised: not a typo of another
  });

  it('leaves ordinary words and messages alone (they start a chat)', () => {
    for (const w of [
      'hello',
      'hi',
      'app',
      'act',
      'cap',
      'fix',
      'refactor',
      'explain',
      'why',
      'tests',
      'deploy',
      'status',
      'what?',
      'README.md',
      'ok',
    ]) {
      expect(typoOf(w, COMMANDS), w).toBeNull();
    }
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('sned', 'send')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('intArg', () => {
  it('takes whole numbers, refuses the rest', () => {
    expect(intArg('0')).toBe(0);
    expect(intArg('25')).toBe(25);
    for (const bad of ['abc', '-1', '1.5', '', '3x']) expect(() => intArg(bad), bad).toThrow(/Expected a whole number/);
  });
});
