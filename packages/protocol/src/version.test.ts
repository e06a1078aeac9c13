import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HERMES_VERSION } from './version.js';

describe('HERMES_VERSION', () => {
  it('is the version in every package.json of the workspace', () => {
    for (const file of ['../../../package.json', '../../protocol/package.json', '../../daemon/package.json', '../../tui/package.json']) {
      const { version } = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string };
      expect({ file, version }).toEqual({ file, version: HERMES_VERSION });
    }
  });
});
