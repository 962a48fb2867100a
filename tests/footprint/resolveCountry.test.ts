// The user's grid: --country, then WATTBENCH_COUNTRY, then the world average, and clear errors for unknown codes.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../lib/errors/WattbenchError';
import { resolveCountry } from '../../lib/footprint/resolveCountry';

describe('resolveCountry', () => {
  it('takes --country first, case-insensitively', () => {
    const grid = resolveCountry({ flag: 'fr', env: { WATTBENCH_COUNTRY: 'DE' } });
    expect(grid).toMatchObject({ code: 'FR', name: 'France', gCo2ePerKwh: 40.48, year: 2024, origin: 'flag', isDefault: false });
    expect(grid.source).toMatch(/Ember and Energy Institute, 2024/);
  });

  it('then WATTBENCH_COUNTRY', () => {
    expect(resolveCountry({ env: { WATTBENCH_COUNTRY: ' de ' } })).toMatchObject({ code: 'DE', gCo2ePerKwh: 336.38, origin: 'env' });
  });

  it('then the world average, and says it is the default', () => {
    expect(resolveCountry({ env: {} })).toMatchObject({ code: 'WORLD', gCo2ePerKwh: 471.08, origin: 'default', isDefault: true });
    expect(resolveCountry({ env: { WATTBENCH_COUNTRY: '' } }).isDefault).toBe(true);
  });

  it('accepts WORLD explicitly', () => {
    expect(resolveCountry({ flag: 'world', env: {} })).toMatchObject({ code: 'WORLD', origin: 'flag', isDefault: false });
  });

  it('rejects an unknown code with a one-line InputError naming valid examples', () => {
    expect(() => resolveCountry({ flag: 'XX', env: {} })).toThrow(InputError);
    expect(() => resolveCountry({ flag: 'XX', env: {} })).toThrow(
      'unknown country "XX" in --country: use an ISO 3166-1 alpha-2 code such as FR, DE, US, GB, IN or JP, or WORLD (39 known)',
    );
    expect(() => resolveCountry({ env: { WATTBENCH_COUNTRY: 'France' } })).toThrow(/^unknown country "France" in WATTBENCH_COUNTRY: /);
  });
});
