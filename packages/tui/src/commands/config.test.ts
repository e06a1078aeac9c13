import { describe, expect, it } from 'vitest';
import { flatten, getAt, parseKey, parseValue, setAt, unknownKey, unsetAt, validate } from './config.js';

describe('config keys and values', () => {
  it('parses dotted keys, with \\. for a dot inside a name', () => {
    expect(parseKey('approvals.mode')).toEqual(['approvals', 'mode']);
    expect(parseKey('prices.openai:gpt-4\\.1.inputPerMTok')).toEqual(['prices', 'openai:gpt-4.1', 'inputPerMTok']);
    expect(() => parseKey('a..b')).toThrow();
    expect(() => parseKey('__proto__.x')).toThrow();
  });
  it('parses values as JSON when they parse', () => {
    expect(parseValue('30')).toBe(30);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseValue('openai:gpt-4.1')).toBe('openai:gpt-4.1');
  });
  it('sets, gets and unsets without touching the input', () => {
    const base = { model: 'a:b' };
    const next = setAt(base, ['approvals', 'timeout'], 5);
    expect(base).toEqual({ model: 'a:b' });
    expect(getAt(next, ['approvals', 'timeout'])).toBe(5);
    expect(unsetAt(next, ['approvals', 'timeout'])).toEqual({ model: 'a:b' });
    expect(flatten(setAt(next, ['prices', 'x:y.1'], { inputPerMTok: 1 }))).toEqual([
      ['model', 'a:b'],
      ['approvals.timeout', 5],
      ['prices.x:y\\.1.inputPerMTok', 1],
    ]);
  });
  it('names unknown keys with the known ones, through records', () => {
    expect(unknownKey(['modle'])?.key).toBe('modle');
    expect(unknownKey(['approvals', 'x'])).toEqual({ key: 'approvals.x', known: ['mode', 'timeout', 'allowlist'] });
    expect(unknownKey(['providers', 'local', 'baseUrl'])).toBeNull();
    expect(unknownKey(['providers', 'local', 'nope'])?.known).toContain('baseUrl');
  });
  it('validates the whole config', () => {
    expect(validate({ model: 'openai:gpt-4.1' }, 'model')).toBeNull();
    expect(validate({ model: 'gpt' }, 'model')).toMatch(/invalid value for model/);
  });
});
