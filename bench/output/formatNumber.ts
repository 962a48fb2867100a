// Terminal number formatting: thousands separators and a precision that fits the magnitude.
import type { MetricSummary } from '../../lib/stats/summarize';

const nf = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const formatters = [nf(0), nf(1), nf(2), nf(3)];

/** Digits after the point so that about three significant digits show. */
export function decimalsFor(magnitude: number): number {
  const a = Math.abs(magnitude);
  if (a >= 100 || a === 0) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return 3;
}

export function formatNumber(value: number, decimals: number = decimalsFor(value)): string {
  return formatters[Math.min(3, Math.max(0, decimals))].format(value);
}

/** "1,482 ± 31 tok/s": one precision, chosen from the mean, for both numbers. */
export function formatMeanSd(s: MetricSummary, unit: string): string {
  const d = decimalsFor(s.mean);
  return `${formatNumber(s.mean, d)} ± ${formatNumber(s.sd, d)} ${unit}`;
}

/** "1,410 … 1,530 tok/s". */
export function formatRange(s: MetricSummary, unit: string): string {
  const d = decimalsFor(s.mean);
  return `${formatNumber(s.min, d)} … ${formatNumber(s.max, d)} ${unit}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, i === 0 ? 0 : decimalsFor(v))} ${units[i]}`;
}

export function formatDurationMs(ms: number): string {
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  if (ms >= 1000) return `${formatNumber(ms / 1000)} s`;
  return `${formatNumber(ms)} ms`;
}
