// Descriptive statistics for repeated measurements: mean ± σ, median, min … max, n.

export interface MetricSummary {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Summarises finite values; null when there are none (a metric that was never measured). */
export function summarize(values: readonly (number | null | undefined)[]): MetricSummary | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return { mean, sd: Math.sqrt(variance), median: quantileSorted(sorted, 0.5), min: sorted[0], max: sorted[n - 1], n };
}

/** Linear-interpolated quantile (the "R-7" / numpy default) of an ascending array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function quantile(values: readonly number[], q: number): number {
  return quantileSorted([...values].sort((a, b) => a - b), q);
}
