import { describe, expect, it } from 'vitest';
import { minMaxSink, type Point } from '../../lib/series/minMaxBuckets';
import { mulberry32 } from '../../lib/stats/mulberry32';

function collect(points: Point[], maxPoints: number): Point[] {
  const sink = minMaxSink(points[0].x, points[points.length - 1].x, points.length, maxPoints);
  for (const p of points) sink.add(p.x, p.y);
  return sink.points();
}

describe('minMaxSink', () => {
  it('keeps every point when the series fits the budget', () => {
    const s = Array.from({ length: 2000 }, (_, i) => ({ x: i, y: (i * 7) % 13 }));
    expect(collect(s, 2000)).toEqual(s);
  });

  it('keeps a one-sample spike and a one-sample dip among 100,000 noisy points, within the budget', () => {
    const rand = mulberry32(7);
    const s = Array.from({ length: 100_000 }, (_, i) => ({ x: i / 10, y: 20 + rand() }));
    s[61_234] = { x: 6123.4, y: 412.5 };
    s[7_001] = { x: 700.1, y: 0.25 };
    const out = collect(s, 2000);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.length).toBeGreaterThan(1900);
    expect(out).toContainEqual({ x: 6123.4, y: 412.5 });
    expect(out).toContainEqual({ x: 700.1, y: 0.25 });
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('draws each bucket as its minimum then its maximum in time order', () => {
    // 10 points in 2 buckets (budget 4): [5, 1, 9, 3, 4] and [2, 8, 8, 0, 6].
    const ys = [5, 1, 9, 3, 4, 2, 8, 8, 0, 6];
    const out = collect(ys.map((y, x) => ({ x, y })), 4);
    expect(out).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 9 },
      { x: 6, y: 8 },
      { x: 8, y: 0 },
    ]);
  });

  it('draws a flat bucket as one point, and copes with a series at a single x', () => {
    const flat = Array.from({ length: 1000 }, (_, x) => ({ x, y: 2 }));
    expect(collect(flat, 10)).toHaveLength(5);
    const same = Array.from({ length: 50 }, (_, i) => ({ x: 3, y: i % 5 }));
    expect(collect(same, 10)).toEqual([
      { x: 3, y: 0 },
      { x: 3, y: 4 },
    ]);
  });
});
