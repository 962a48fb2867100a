// The Wilson score interval of a proportion (Wilson 1927): unlike p ± z·√(p(1−p)/n) it stays inside [0, 1]
// and is sound for small n and for 0 or n successes — a graded suite has tens of items, not thousands.

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  /** successes / n */
  p: number;
  low: number;
  high: number;
}

/** The Wilson interval of `successes` out of `n` (null when n is 0). */
export function wilsonInterval(successes: number, n: number, z = Z_95): ProportionInterval | null {
  if (!(n > 0) || successes < 0 || successes > n) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1 (the formula gives it up to rounding).
  return { p, low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) };
}
