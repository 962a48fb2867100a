import { describe, expect, it } from 'vitest';
import { formatClock, formatDateTime, formatDuration } from '../../lib/format/dates';

const NBSP = '\u00a0';

describe('dates and durations', () => {
  it('formats a date and time per language', () => {
    const t = Date.UTC(2025, 10, 27, 10, 4);
    expect(formatDateTime(t, 'en', 'UTC')).toBe('27 Nov 2025, 10:04');
    expect(formatDateTime(t, 'fr', 'UTC')).toBe('27 nov. 2025, 10:04');
    expect(formatDateTime(null, 'fr', 'UTC')).toBe('non mesuré');
  });

  it('chooses the unit of a duration from its length', () => {
    expect(formatDuration(850, 'en')).toBe(`850${NBSP}ms`);
    expect(formatDuration(4200, 'en')).toBe(`4.2${NBSP}s`);
    expect(formatDuration(4200, 'fr')).toBe(`4,2${NBSP}s`);
    expect(formatDuration(42_000, 'en')).toBe(`42${NBSP}s`);
    expect(formatDuration(65_000, 'en')).toBe(`1${NBSP}min 05${NBSP}s`);
    expect(formatDuration(7_380_000, 'en')).toBe(`2${NBSP}h 03${NBSP}min`);
    expect(formatDuration(null, 'en')).toBe('not measured');
  });

  it('shows a running clock', () => {
    expect(formatClock(42_900)).toBe('0:42');
    expect(formatClock(442_000)).toBe('7:22');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(null)).toBe('–');
  });
});
