import { describe, expect, it } from 'vitest';
import { rollingRate } from '../../lib/series/rate';

describe('rollingRate', () => {
  it('turns a cumulative count into a rate per second over a window', () => {
    const t = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100];
    const c = t.map((ms) => ms / 10); // 100 tokens/s
    const out = rollingRate(t, c, 1000);
    expect(out).toHaveLength(11);
    for (const p of out) expect(p.y).toBeCloseTo(100, 6);
    expect(out[out.length - 1].x).toBe(1100);
  });

  it('skips missing counts and reads a reset as zero', () => {
    const out = rollingRate([0, 100, 200, 300], [10, null, 20, 5], 1000);
    expect(out).toEqual([
      { x: 200, y: 50 },
      { x: 300, y: 0 },
    ]);
  });
});
