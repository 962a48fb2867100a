import { describe, expect, it } from 'vitest';
import { dominates, paretoFrontier } from '../../lib/series/pareto';

describe('paretoFrontier', () => {
  it('keeps what nothing beats on both speed and energy, sorted by speed', () => {
    const pts = [
      { id: 'slow-hungry', x: 5, y: 1.0 },
      { id: 'fast-hungry', x: 50, y: 0.8 },
      { id: 'mid-frugal', x: 20, y: 0.2 },
      { id: 'slow-frugal', x: 4, y: 0.1 },
      { id: 'dominated', x: 15, y: 0.5 },
    ];
    expect(paretoFrontier(pts).map((p) => p.id)).toEqual(['slow-frugal', 'mid-frugal', 'fast-hungry']);
  });

  it('drops ties that are no better and ignores non-finite points', () => {
    const pts = [
      { id: 'a', x: 10, y: 0.5 },
      { id: 'b', x: 10, y: 0.5 },
      { id: 'c', x: Number.NaN, y: 0.1 },
    ];
    expect(paretoFrontier(pts).map((p) => p.id)).toEqual(['a']);
    expect(paretoFrontier([])).toEqual([]);
  });

  it('defines domination', () => {
    expect(dominates({ x: 2, y: 1 }, { x: 1, y: 1 })).toBe(true);
    expect(dominates({ x: 1, y: 1 }, { x: 1, y: 1 })).toBe(false);
    expect(dominates({ x: 2, y: 2 }, { x: 1, y: 1 })).toBe(false);
  });
});
