import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bashWords, word } from '../shell-gen.test-helpers.js';
import { ADVERSARIAL_CORPUS } from './adversarial-corpus.test-helpers.js';
import { assessCommand } from './index.js';

const rank = { safe: 0, dangerous: 1, hardline: 2 } as const;

describe('adversarial corpus (issue 10)', () => {
  it('is large and spans the categories', () => {
    expect(ADVERSARIAL_CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ADVERSARIAL_CORPUS.map((c) => c.category)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(ADVERSARIAL_CORPUS.map((e) => [e.category, e.command, e.min] as const))('%s: flags %j at least %s', (_category, command, min) => {
    const a = assessCommand(command, { home: '/home/me' });
    expect(rank[a.level], `${JSON.stringify(command)} → ${a.level} ${a.reasons.join('; ')}`).toBeGreaterThanOrEqual(rank[min]);
    expect(a.reasons.length).toBeGreaterThan(0);
  });
});

describe('no text before a command can hide it (property, checked against bash)', () => {
  it('flags `…; rm -rf ~` whatever words come first, when bash runs the rm', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom('; ', ' && ', '\n', ' || true; '), (words, sep) => {
        const src = `P ${words.join(' ')}${sep}R`;
        // bash says R runs as a command of its own (its own marker line)…
        expect(bashWords(src).at(-1), JSON.stringify(src)).toEqual(['R']);
        // …so with R = rm -rf ~ the detector must refuse it.
        const a = assessCommand(src.replace(/R$/, 'rm -rf ~'), { home: '/home/me' });
        expect(a.level, JSON.stringify(src)).toBe('hardline');
      }),
      { numRuns: 100 },
    );
  });
});
