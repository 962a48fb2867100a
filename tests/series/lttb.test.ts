import { describe, expect, it } from 'vitest';
import { lttb, type Point } from '../../lib/series/lttb';

const series = (n: number, f: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('lttb', () => {
  it('returns small series unchanged (as a copy)', () => {
    const s = series(10, (i) => i * i);
    const out = lttb(s, 2000);
    expect(out).toEqual(s);
    expect(out).not.toBe(s);
  });

  it('keeps exactly `threshold` points, the first and the last, in x order', () => {
    const s = series(100_000, (i) => Math.sin(i / 1000));
    const out = lttb(s, 2000);
    expect(out).toHaveLength(2000);
    expect(out[0]).toBe(s[0]);
    expect(out[out.length - 1]).toBe(s[s.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('keeps a lone spike that averaging would flatten', () => {
    const s = series(10_000, (i) => (i === 4321 ? 100 : 1));
    const out = lttb(s, 100);
    expect(out.some((p) => p.x === 4321 && p.y === 100)).toBe(true);
  });

  it('handles degenerate thresholds', () => {
    const s = series(50, (i) => i);
    expect(lttb(s, 2)).toEqual([s[0], s[49]]);
    expect(lttb(s, 1)).toEqual([s[0]]);
    expect(lttb(s, 0)).toEqual([]);
    expect(lttb([], 10)).toEqual([]);
  });

  it('picks the point of each bucket that makes the largest triangle', () => {
    const s: Point[] = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 5 },
      { x: 3, y: 1 },
      { x: 4, y: 0 },
    ];
    expect(lttb(s, 3)).toEqual([s[0], s[2], s[4]]);
  });
});
