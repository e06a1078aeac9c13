import { describe, expect, it } from 'vitest';
import { HermesConfig } from './config.js';

describe('HermesConfig tools.readable', () => {
  it('takes absolute paths and ~ paths', () => {
    expect(HermesConfig.safeParse({ tools: { readable: ['/usr/share/doc', '~', '~/src/lib'] } }).success).toBe(true);
    expect(HermesConfig.safeParse({ tools: {} }).success).toBe(true);
  });

  it('rejects relative paths, ~user, non-strings and unknown keys, with a message', () => {
    for (const readable of [['src'], ['~bob/x'], [''], [42], '/usr']) {
      expect(HermesConfig.safeParse({ tools: { readable } }).success, JSON.stringify(readable)).toBe(false);
    }
    const r = HermesConfig.safeParse({ tools: { readable: ['relative/dir'] } });
    expect(r.success ? '' : r.error.issues[0]!.message).toMatch(/absolute path or start with ~\//);
    expect(HermesConfig.safeParse({ tools: { writable: ['/'] } }).success).toBe(false);
  });
});
