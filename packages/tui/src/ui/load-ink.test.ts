import { afterEach, describe, expect, it } from 'vitest';
import { importInkUi } from './load-ink.js';

const saved = { CI: process.env.CI, NODE_ENV: process.env.NODE_ENV };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('importInkUi', () => {
  it('imports with CI hidden and React in production mode, then gives the environment back as it was', async () => {
    process.env.CI = '1';
    delete process.env.NODE_ENV;
    const seen = await importInkUi(async () => ({ ci: process.env.CI, env: process.env.NODE_ENV }));
    expect(seen).toEqual({ ci: undefined, env: 'production' });
    expect(process.env.CI).toBe('1');
    expect('NODE_ENV' in process.env).toBe(false);
  });

  it('keeps a NODE_ENV the user set', async () => {
    process.env.NODE_ENV = 'development';
    expect(await importInkUi(async () => process.env.NODE_ENV)).toBe('development');
    expect(process.env.NODE_ENV).toBe('development');
  });

  it('restores the environment when the import fails', async () => {
    delete process.env.NODE_ENV;
    process.env.CI = 'true';
    await expect(importInkUi(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(process.env.CI).toBe('true');
    expect('NODE_ENV' in process.env).toBe(false);
  });
});
