// Number and range formatting for footprint figures: three significant digits, a unit on every figure.
import type { Range } from './types';

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "0", "0.00891", "12.3", "471", "1,235"; below 0.001 in exponent form ("6.49e-7") to stay readable. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return whole.format(value);
  if (abs >= 0.001) return significant.format(value);
  return value.toExponential(2).replace(/\.?0+e/, 'e');
}

/** "0.00891 Wh", or "0.0123 … 0.0341 Wh" when the bounds differ once formatted. */
export function formatRange(range: Range, unit: string): string {
  const low = formatNumber(range.low);
  const high = formatNumber(range.high);
  return low === high ? `${low} ${unit}` : `${low} … ${high} ${unit}`;
}

/** "8 B" or "44–132 B": a parameter count in billions. */
export function formatParams(range: Range): string {
  return range.low === range.high ? `${formatNumber(range.low)} B` : `${formatNumber(range.low)}–${formatNumber(range.high)} B`;
}

/** Whole-number counts with thousands separators: "2,048". */
export function formatCount(value: number): string {
  return whole.format(value);
}

/**
 * Aligns label / value / tag rows in columns, hyperfine style: "  Energy:   0.0123 Wh   [estimate: …]".
 * A row without a tag ends after its value.
 */
export function alignRows(rows: [label: string, value: string, tag?: string][], indent = '  '): string[] {
  const labelWidth = Math.max(...rows.map(([label]) => label.length + 1));
  const valueWidth = Math.max(...rows.filter((r) => r[2]).map(([, value]) => value.length), 0);
  return rows.map(([label, value, tag]) => {
    const head = `${indent}${`${label}:`.padEnd(labelWidth)}  `;
    return tag ? `${head}${value.padEnd(valueWidth)}   ${tag}` : `${head}${value}`;
  });
}
