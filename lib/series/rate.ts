// A rate from a cumulative counter: tokens per second from "tokens generated so far".

/**
 * For each sample i, (c[i] − c[j]) / (t[i] − t[j]) · 1000 where j is the earliest sample at most `windowMs`
 * before it (at least one sample back). Samples with a null counter are skipped; counter resets read as 0.
 */
export function rollingRate(
  times: readonly number[],
  counts: readonly (number | null)[],
  windowMs = 1000,
): { x: number; y: number }[] {
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const v = counts[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      t.push(times[i]);
      c.push(v);
    }
  }
  const out: { x: number; y: number }[] = [];
  let j = 0;
  for (let i = 1; i < t.length; i++) {
    while (j < i - 1 && t[i] - t[j] > windowMs) j++;
    const dt = t[i] - t[j];
    if (dt <= 0) continue;
    const dc = c[i] - c[j];
    out.push({ x: t[i], y: dc > 0 ? (dc / dt) * 1000 : 0 });
  }
  return out;
}
