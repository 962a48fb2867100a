import { describe, it, expect } from 'vitest';
import { summarize, quantile } from '../../lib/stats/summarize';

describe('summarize', () => {
  it('computes mean, sample σ, median, min, max and n', () => {
    // values 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
    // sample variance 32/7, σ = √(32/7) ≈ 2.138; median (4+5)/2 = 4.5.
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s).toEqual({ mean: 5, sd: Math.sqrt(32 / 7), median: 4.5, min: 2, max: 9, n: 8 });
  });

  it('ignores values that were not measured and returns null when none were', () => {
    expect(summarize([null, 3, undefined, Number.NaN])).toEqual({ mean: 3, sd: 0, median: 3, min: 3, max: 3, n: 1 });
    expect(summarize([null, undefined])).toBeNull();
    expect(summarize([])).toBeNull();
  });

  it('interpolates quantiles linearly (R-7, numpy default)', () => {
    // positions (n−1)·q: for 1..10 and q = 0.95, 9 × 0.95 = 8.55 → 9 + 0.55 × (10 − 9) = 9.55.
    expect(quantile([10, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.95)).toBeCloseTo(9.55, 12);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
  });
});
