import { describe, expect, it } from 'vitest';
import { deniedResult } from './denied.js';

describe('deniedResult', () => {
  it('tells the model an unanswered approval timed out, not that the user denied it (issue 12 item 30)', () => {
    const text = deniedResult('terminal', 'rm -rf build', { by: 'timeout', reason: 'no answer within 30 s' });
    expect(text).toContain('Nobody answered');
    expect(text).toContain('no answer within 30 s');
    expect(text).not.toMatch(/user denied/i);
  });

  it('relays a user denial with its reason', () => {
    expect(deniedResult('terminal', 'ls', { by: 'tui (chat)', reason: 'not now.' })).toBe(
      'The user denied this terminal call (ls). Their reason: not now. Do not try to get around it.',
    );
    expect(deniedResult('write_file', 'a.txt', { by: 'send' })).toBe(
      'The user denied this write_file call (a.txt). Do not try to get around it.',
    );
  });

  it('a steer that skipped the call points at the user message that follows, not at a denial to get around', () => {
    const text = deniedResult('terminal', 'npm publish', { by: 'steer', reason: 'use pnpm instead' });
    expect(text).toContain('the user sent a new message instead');
    expect(text).not.toContain('Do not try to get around it');
  });
});
