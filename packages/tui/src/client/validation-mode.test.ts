import { describe, expect, it } from 'vitest';
import { chooseValidationMode, enableCompileCache } from './validation-mode.js';

describe('chooseValidationMode', () => {
  it('the daemon keeps the compiled parsers; a client command turns them off, and zod sees it', async () => {
    const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
    const before = g.__zod_globalConfig ? { ...g.__zod_globalConfig } : undefined;
    try {
      expect(chooseValidationMode(['--home', '/x', 'daemon', 'run'])).toBe('jit');
      expect(chooseValidationMode(['send', 'hi'])).toBe('jitless');
      const { z } = await import('zod');
      expect(z.config().jitless).toBe(true);
      // Still validating: the interpreter applies the same checks.
      const S = z.object({ n: z.number().int(), s: z.string() });
      expect(S.safeParse({ n: 1, s: 'x' }).success).toBe(true);
      expect(S.safeParse({ n: 1.5, s: 'x' }).success).toBe(false);
    } finally {
      if (g.__zod_globalConfig) {
        delete g.__zod_globalConfig.jitless;
        Object.assign(g.__zod_globalConfig, before);
      }
    }
  });

  it('the compile cache is turned on where Node has it and skipped where it does not', () => {
    let calls = 0;
    expect(enableCompileCache({ enableCompileCache: () => (calls++, { status: 1 }) })).toBe(true);
    expect(calls).toBe(1);
    expect(enableCompileCache({})).toBe(false);
    expect(
      enableCompileCache({
        enableCompileCache: () => {
          throw new Error('EROFS');
        },
      }),
    ).toBe(false);
  });
});
