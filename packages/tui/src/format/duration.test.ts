import { describe, expect, it } from 'vitest';
import { countdown, formatDuration } from './duration.js';

describe('durations', () => {
  it('reads in the unit that fits, rounded once at that unit', () => {
    expect([0, 4, 340, 999.4].map(formatDuration)).toEqual(['0ms', '4ms', '340ms', '999ms']);
    expect([1000, 1234, 9_950, 59_940].map(formatDuration)).toEqual(['1.0s', '1.2s', '10.0s', '59.9s']);
    // 59.96 s is a minute, and 119.7 s is 2m00s (not "1m60s").
    expect([59_960, 65_000, 119_700, 3_599_400].map(formatDuration)).toEqual(['1m00s', '1m05s', '2m00s', '59m59s']);
    expect([3_600_000, 3_725_000, 90_000_000].map(formatDuration)).toEqual(['1h00m', '1h02m', '25h00m']);
  });
  it('a clock skewed backwards or a broken number reads 0ms, not NaN', () => {
    expect([-50, Number.NaN, Infinity].map(formatDuration)).toEqual(['0ms', '0ms', '0ms']);
  });
  it('a countdown rounds up, so it never reads zero before the wait is over', () => {
    expect([1, 1_401, 9_999, 10_000, 12_001].map(countdown)).toEqual(['0.1 s', '1.5 s', '10.0 s', '10 s', '13 s']);
  });
});
