import { describe, expect, it } from 'vitest';
import { parseCountry, parseId, parseIdList, parseRunFilters, parseStatus } from '../../lib/queries/params';

describe('route and search parameters', () => {
  it('accepts only positive decimal ids', () => {
    expect(parseId('12')).toBe(12);
    for (const bad of ['abc', '0', '-1', '1.5', '1e3', ' 1', '01', '', '9999999999999999', undefined, null]) expect(parseId(bad as string)).toBeNull();
    expect(parseId(['7', '8'])).toBe(7);
  });

  it('reads id lists from commas, spaces or repeated parameters', () => {
    expect(parseIdList('1, 2 3;x,2')).toEqual([1, 2, 3]);
    expect(parseIdList(['4', '5,6'])).toEqual([4, 5, 6]);
    expect(parseIdList('1,2,3,4', 2)).toEqual([1, 2]);
    expect(parseIdList(undefined)).toEqual([]);
  });

  it('falls back to defaults for malformed filters', () => {
    expect(parseRunFilters({ sort: 'DROP TABLE', dir: 'sideways', page: '-3', model: 'x', status: 'exploded' })).toEqual({
      modelId: null,
      hardwareId: null,
      status: null,
      sort: 'date',
      dir: 'desc',
      page: 1,
      pageSize: 50,
    });
    expect(parseRunFilters({ sort: 'jpt', model: '3', hw: '2', status: 'failed', page: '4' })).toMatchObject({
      modelId: 3,
      hardwareId: 2,
      status: 'failed',
      sort: 'jpt',
      dir: 'asc',
      page: 4,
    });
    expect(parseStatus('running')).toBe('running');
    expect(parseCountry('fr')).toBe('FR');
    expect(parseCountry('F R')).toBeNull();
  });
});
