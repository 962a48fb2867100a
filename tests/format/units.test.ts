import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatGiB,
  formatJPerToken,
  formatMeanSd,
  formatMs,
  formatPercent,
  formatRange,
  formatRatio,
  formatTokPerSec,
  formatValueSd,
  formatWatts,
  formatWh,
  formatGco2e,
  formatMl,
} from '../../lib/format/units';
import { formatCount, formatNumber, formatTick } from '../../lib/format/numbers';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const summary = (mean: number, sd: number, n = 5) => ({ mean, sd, n, median: mean, min: mean, max: mean });

describe('numbers', () => {
  it('picks the precision from the magnitude', () => {
    expect(formatNumber(1482.3, 'en')).toBe('1,482');
    expect(formatNumber(31.27, 'en')).toBe('31.3');
    expect(formatNumber(2.345, 'en')).toBe('2.35');
    expect(formatNumber(0.41234, 'en')).toBe('0.412');
    expect(formatNumber(0.0012345, 'en')).toBe('0.00123');
    expect(formatNumber(0, 'en')).toBe('0');
  });

  it('uses French separators', () => {
    expect(formatNumber(1482.3, 'fr')).toBe(`1${NNBSP}482`);
    expect(formatNumber(31.27, 'fr')).toBe('31,3');
    expect(formatCount(1234567, 'fr')).toBe(`1${NNBSP}234${NNBSP}567`);
  });

  it('writes axis ticks without trailing zeros', () => {
    expect(formatTick(12, 'en')).toBe('12');
    expect(formatTick(2.5, 'en')).toBe('2.5');
    expect(formatTick(0.125, 'en')).toBe('0.125');
    expect(formatTick(1000, 'en')).toBe('1,000');
    expect(formatTick(2.5, 'fr')).toBe('2,5');
  });
});

describe('units', () => {
  it('formats every unit in English', () => {
    expect(formatTokPerSec(1482.3, 'en')).toBe(`1,482${NBSP}tok/s`);
    expect(formatMs(37.46, 'en')).toBe(`37.5${NBSP}ms`);
    expect(formatJPerToken(0.4123, 'en')).toBe(`0.412${NBSP}J/token`);
    expect(formatWatts(13.82, 'en')).toBe(`13.8${NBSP}W`);
    expect(formatWh(0.2412, 'en')).toBe(`0.241${NBSP}Wh`);
    expect(formatGco2e(1.14, 'en')).toBe(`1.14${NBSP}gCO₂e`);
    expect(formatMl(45, 'en')).toBe(`45.0${NBSP}mL`);
    expect(formatGiB(1.5 * 1024 ** 3, 'en')).toBe(`1.50${NBSP}GiB`);
    expect(formatBytes(1_185_376, 'en')).toBe(`1.13${NBSP}MiB`);
    expect(formatPercent(45, 'en')).toBe('45%');
    expect(formatRatio(2.34, 'en')).toBe('2.3×');
    expect(formatRatio(41.2, 'en')).toBe('41×');
  });

  it('formats every unit in French', () => {
    expect(formatTokPerSec(1482.3, 'fr')).toBe(`1${NNBSP}482${NBSP}tok/s`);
    expect(formatJPerToken(0.4123, 'fr')).toBe(`0,412${NBSP}J/jeton`);
    expect(formatGiB(1.5 * 1024 ** 3, 'fr')).toBe(`1,50${NBSP}Gio`);
    expect(formatBytes(1_185_376, 'fr')).toBe(`1,13${NBSP}Mio`);
    expect(formatPercent(45, 'fr')).toBe(`45${NBSP}%`);
    expect(formatRatio(2.34, 'fr')).toBe('2,3×');
  });

  it('reads "not measured" for a missing figure, never 0', () => {
    expect(formatJPerToken(null, 'en')).toBe('not measured');
    expect(formatJPerToken(undefined, 'fr')).toBe('non mesuré');
    expect(formatWatts(Number.NaN, 'en')).toBe('not measured');
    expect(formatGiB(null, 'en')).toBe('not measured');
    expect(formatPercent(null, 'fr')).toBe('non mesuré');
    expect(formatMeanSd(null, 'tokPerSec', 'en')).toBe('not measured');
    expect(formatRange(null, 1, 'wh', 'en')).toBe('not measured');
    // A measured zero stays a zero.
    expect(formatWatts(0, 'en')).toBe(`0${NBSP}W`);
  });

  it('writes mean ± σ with one precision, chosen from the mean', () => {
    expect(formatMeanSd(summary(1482.3, 31.2), 'tokPerSec', 'en')).toBe(`1,482 ± 31${NBSP}tok/s`);
    expect(formatMeanSd(summary(1482.3, 31.2), 'tokPerSec', 'fr')).toBe(`1${NNBSP}482 ± 31${NBSP}tok/s`);
    expect(formatMeanSd(summary(12.34, 0.51), 'tokPerSec', 'en')).toBe(`12.3 ± 0.5${NBSP}tok/s`);
    expect(formatMeanSd(summary(0.412, 0.0213), 'jPerToken', 'en')).toBe(`0.412 ± 0.0213${NBSP}J/token`);
  });

  it('gives a σ that rounds to zero its own digits, and drops σ for one repetition', () => {
    expect(formatMeanSd(summary(1482.3, 0.04), 'tokPerSec', 'en')).toBe(`1,482 ± 0.04${NBSP}tok/s`);
    expect(formatMeanSd(summary(1482.3, 0, 1), 'tokPerSec', 'en')).toBe(`1,482${NBSP}tok/s`);
    expect(formatValueSd(958.2, null, 'ms', 'en')).toBe(`958${NBSP}ms`);
    expect(formatValueSd(958.2, 84.1, 'ms', 'en')).toBe(`958 ± 84${NBSP}ms`);
  });

  it('writes ranges with the unit once', () => {
    expect(formatRange(0.12, 0.45, 'wh', 'en')).toBe(`0.12 – 0.45${NBSP}Wh`);
    expect(formatRange(0.12, 0.45, 'wh', 'fr')).toBe(`0,12 – 0,45${NBSP}Wh`);
    expect(formatRange(2, 2, 'ml', 'en')).toBe(`2.00${NBSP}mL`);
  });
});
