import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, formatWithSd } from '../../lib/format/numbers';

const NBSP = '\u00a0';

describe('durations', () => {
  it('chooses the unit of a duration from its length', () => {
    expect(formatDuration(850, 'en')).toBe(`850${NBSP}ms`);
    expect(formatDuration(4200, 'en')).toBe(`4.2${NBSP}s`);
    expect(formatDuration(4200, 'fr')).toBe(`4,2${NBSP}s`);
    expect(formatDuration(42_000, 'en')).toBe(`42${NBSP}s`);
    expect(formatDuration(65_000, 'en')).toBe(`1${NBSP}min 05${NBSP}s`);
    expect(formatDuration(7_380_000, 'en')).toBe(`2${NBSP}h 03${NBSP}min`);
    expect(formatDuration(null, 'en')).toBe('not measured');
  });

  it('carries at every boundary instead of printing 60 of a unit', () => {
    const plain = (ms: number) => formatDuration(ms, 'en', ' ');
    expect(plain(999.6)).toBe('1.0 s');
    expect(plain(9_960)).toBe('10 s');
    expect(plain(59_400)).toBe('59 s');
    expect(plain(59_950)).toBe('1 min 00 s');
    expect(plain(119_400)).toBe('1 min 59 s');
    expect(plain(119_600)).toBe('2 min 00 s');
    expect(plain(3_599_400)).toBe('59 min 59 s');
    expect(plain(3_599_600)).toBe('1 h 00 min');
    expect(plain(7_199_999)).toBe('2 h 00 min');
    expect(plain(90_000_000)).toBe('25 h 00 min');
  });
});

describe('one precision rule', () => {
  it('keeps three significant digits below 1 where three decimals would lose a small figure', () => {
    expect(formatNumber(0.000649, 'en')).toBe('0.000649');
    expect(formatNumber(2, 'en')).toBe('2.00');
    expect(formatNumber(2, 'en', { decimals: 2, trim: true })).toBe('2');
  });

  it('shows a σ at its figure’s precision unless that rounds it to zero', () => {
    expect(formatWithSd(1482.3, 31.2, 'en')).toEqual(['1,482', '31']);
    expect(formatWithSd(1482.3, 0.04, 'en')).toEqual(['1,482', '0.04']);
  });
});
