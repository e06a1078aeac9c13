import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_CHARS, Redactor, redactSecrets } from './redact.js';

/** Pushes `text` cut at `cuts` through a fresh stream; returns what came out, and what was held after each piece. */
function streamed(r: Redactor, text: string, cuts: number[]): { out: string; held: string[]; released: string[] } {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const s = r.stream();
  let out = '';
  let at = 0;
  const held: string[] = [];
  const released: string[] = [];
  for (const p of [...points, text.length]) {
    const piece = s.push(text.slice(at, p));
    released.push(piece);
    out += piece;
    held.push(s.held());
    at = p;
  }
  out += s.flush();
  return { out, held, released };
}

describe('Redactor', () => {
  const key = 'sk-test-0123456789abcdef';
  const token = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg';
  const r = new Redactor([key, 'tok_ABCDEFGH12345678', token, 'short', undefined]);

  it('blanks every known secret, ignores short values', () => {
    expect(r.redact(`OPENAI_API_KEY=${key}\nx=${key} short`)).toBe('OPENAI_API_KEY=[redacted]\nx=[redacted] short');
  });

  it('catches a secret split across streamed pieces, whatever the split', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.nat(), { maxLength: 6 }), (before, after, cuts) => {
        const text = `${before}${key}${after}`;
        const { out } = streamed(r, text, cuts);
        expect(out).not.toContain(key);
        expect(out).toBe(r.redact(text));
      }),
    );
  });

  it('never lets any secret through, with several secrets mixed into the text and any split', () => {
    const secrets = [key, token, 'tok_ABCDEFGH12345678'];
    const part = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...secrets), fc.constantFrom(...secrets.map((s) => s.slice(0, 9))));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
        const text = parts.join('');
        const { out } = streamed(r, text, cuts);
        for (const s of secrets) if (text.includes(s)) expect(out).not.toContain(s);
        // Nothing else is lost or added: without secrets the output is the input.
        if (!secrets.some((s) => text.includes(s))) expect(out).toBe(text);
      }),
    );
  });

  it('holds back only what could be the start of a secret (output is live, not kept until the end)', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const { held } = streamed(r, text, cuts);
        for (const h of held) {
          if (h === '') continue;
          expect([key, token, 'tok_ABCDEFGH12345678'].some((s) => s.startsWith(h) && h.length < s.length)).toBe(true);
        }
      }),
    );
  });

  it('releases a line of terminal output as soon as it arrives (issue 12 item 7: `tick 1` shown at once)', () => {
    const s = r.stream();
    expect(s.push('tick 1\n')).toBe('tick 1\n');
    expect(s.push('tick 2\n')).toBe('tick 2\n');
    // A piece that ends in what may be a key waits for the rest…
    expect(s.push('key: sk-te')).toBe('key: ');
    // …and goes out once it cannot be one.
    expect(s.push('xt\n')).toBe('sk-text\n');
    expect(s.push(`again ${key.slice(0, 10)}`)).toBe('again ');
    expect(s.push(`${key.slice(10)} done\n`)).toBe('[redacted] done\n');
    expect(s.flush()).toBe('');
  });
});

describe('redactSecrets', () => {
  it('masks the given values with the same minimum length as the Redactor, and credential shapes', () => {
    const short = 'x'.repeat(MIN_SECRET_CHARS - 1);
    const key = 'hunter2-long-secret';
    const text = `401: bad key ${key} (${short}) Authorization: Bearer abcdefghij1234 sk-proj-ABCDEFGHIJKLMN`;
    const out = redactSecrets(text, [key, short]);
    expect(out).not.toContain(key);
    expect(out).toContain(short);
    expect(out).toContain('Bearer [redacted]');
    expect(out).toContain('sk-proj-[redacted]');
  });
});
