import { describe, expect, it } from 'vitest';
import { unknownCost } from './usage.js';

describe('/usage without a known cost', () => {
  it('names the prices setting, with the key of this model (dots escaped)', () => {
    expect(unknownCost('openai:gpt-4.1')).toBe(
      `unknown: no price for openai:gpt-4.1 (set it with: hermes config set 'prices.openai:gpt-4\\.1' '{"inputPerMTok":2,"outputPerMTok":8}')`,
    );
    expect(unknownCost(null)).toContain("'prices.<provider:model>'");
  });
});
