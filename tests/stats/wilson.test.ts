// The Wilson score interval against published values: Newcombe (1998), "Two-sided confidence intervals for the
// single proportion", Statistics in Medicine 17:857–872, Table I (method 3), and the textbook 8/10.
import { describe, it, expect } from 'vitest';
import { wilsonInterval } from '../../lib/stats/wilson';

describe('wilsonInterval', () => {
  it.each([
    [8, 10, 0.4902, 0.9433],
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i gives %f–%f', (k, n, low, high) => {
    const w = wilsonInterval(k, n)!;
    expect(w.p).toBeCloseTo(k / n, 12);
    expect(w.low).toBeCloseTo(low, 4);
    expect(w.high).toBeCloseTo(high, 4);
  });

  it('stays inside [0, 1] at the extremes and contains the observed proportion', () => {
    const all = wilsonInterval(10, 10)!;
    expect(all.high).toBe(1);
    expect(all.low).toBeGreaterThan(0.7);
    expect(all.low).toBeLessThan(1);
    const none = wilsonInterval(0, 10)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeGreaterThan(0.2);
  });

  it('has no interval without observations or with impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(3, 2)).toBeNull();
  });
});
