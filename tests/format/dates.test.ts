import { describe, expect, it } from 'vitest';
import { formatClock, formatDateTime } from '../../lib/format/dates';

describe('dates and clocks', () => {
  it('formats a date and time per language', () => {
    const t = Date.UTC(2025, 10, 27, 10, 4);
    expect(formatDateTime(t, 'en', 'UTC')).toBe('27 Nov 2025, 10:04');
    expect(formatDateTime(t, 'fr', 'UTC')).toBe('27 nov. 2025, 10:04');
    expect(formatDateTime(null, 'fr', 'UTC')).toBe('non mesuré');
  });

  it('shows a running clock', () => {
    expect(formatClock(42_900)).toBe('0:42');
    expect(formatClock(442_000)).toBe('7:22');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(null)).toBe('–');
  });
});
