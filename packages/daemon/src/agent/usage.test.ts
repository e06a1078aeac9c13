import { describe, expect, it } from 'vitest';
import { addUsage, priceCall } from './usage.js';

const usage = { inputTokens: 1_000_000, outputTokens: 500_000 };

describe('priceCall', () => {
  it('prices input, cached input and output from the config table', () => {
    const config = { prices: { 'a:b': { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 } } };
    expect(priceCall({ ...usage, cachedTokens: 200_000 }, 'a:b', config).costUsd).toBeCloseTo(1.6 + 0.1 + 4);
  });

  it('takes a price set one field at a time: known once every kind of token used has one (issue 12 item 27)', () => {
    expect(priceCall(usage, 'a:b', { prices: { 'a:b': { inputPerMTok: 2 } } }).costUsd).toBeUndefined();
    expect(priceCall({ inputTokens: 1_000_000, outputTokens: 0 }, 'a:b', { prices: { 'a:b': { inputPerMTok: 2 } } }).costUsd).toBeCloseTo(
      2,
    );
    expect(priceCall(usage, 'a:b', { prices: { 'a:b': { inputPerMTok: 2, outputPerMTok: 8 } } }).costUsd).toBeCloseTo(6);
  });

  it('keeps the provider’s own figure; unknown without a price', () => {
    expect(priceCall({ ...usage, costUsd: 0.5 }, 'a:b', { prices: { 'a:b': { inputPerMTok: 100 } } }).costUsd).toBe(0.5);
    expect(priceCall(usage, 'a:b', {}).costUsd).toBeUndefined();
    expect(addUsage(usage, { inputTokens: 1, outputTokens: 1, costUsd: 1 }).costUsd).toBe(1);
  });
});
