import { describe, expect, it } from 'vitest';
import { lastLines } from './daemon.js';

describe('daemon logs -n', () => {
  const log = 'a\nb\nc\n';
  it('prints the last n lines; -n 0 prints none (issue 12 item 16)', () => {
    expect(lastLines(log, 2)).toBe('b\nc\n');
    expect(lastLines(log, 0)).toBe('');
    expect(lastLines(log, 10)).toBe('a\nb\nc\n');
    expect(lastLines('', 5)).toBe('');
    expect(lastLines('no newline at the end', 1)).toBe('no newline at the end\n');
  });
});
