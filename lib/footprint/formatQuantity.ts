// Footprint figures: the shared number rule without trailing zeros (an estimate's "2.00" would claim digits it
// does not have), a unit on every figure.
import type { Range } from './types';
import { formatNumber, precisionFor } from '../format/numbers';

/** "0", "0.00891", "12.3", "471", "1,235". */
export function formatFigure(value: number): string {
  return formatNumber(value, 'en', { ...precisionFor(value), trim: true });
}

/** "0.00891 Wh", or "0.0123 … 0.0341 Wh" when the bounds differ once formatted. */
export function formatRange(range: Range, unit: string): string {
  const low = formatFigure(range.low);
  const high = formatFigure(range.high);
  return low === high ? `${low} ${unit}` : `${low} … ${high} ${unit}`;
}

/** "8 B" or "44–132 B": a parameter count in billions. */
export function formatParams(range: Range): string {
  return range.low === range.high ? `${formatFigure(range.low)} B` : `${formatFigure(range.low)}–${formatFigure(range.high)} B`;
}

