import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

describe('Redactor', () => {
  const key = 'sk-test-0123456789abcdef';
  const r = new Redactor([key, 'tok_ABCDEFGH12345678', 'short', undefined]);

  it('blanks every known secret, ignores short values', () => {
    expect(r.redact(`OPENAI_API_KEY=${key}\nx=${key} short`)).toBe('OPENAI_API_KEY=[redacted]\nx=[redacted] short');
  });

  it('catches a secret split across streamed pieces, whatever the split', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.nat(), { maxLength: 6 }), (before, after, cuts) => {
        const text = `${before}${key}${after}`;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const s = r.stream();
        let out = '';
        let at = 0;
        for (const p of [...points, text.length]) {
          out += s.push(text.slice(at, p));
          at = p;
        }
        out += s.flush();
        expect(out).not.toContain(key);
        expect(out).toBe(r.redact(text));
      }),
    );
  });
});
