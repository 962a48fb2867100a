// The user's grid: --country, then WATTBENCH_COUNTRY, then the world average; always says which.
import { InputError } from '../errors/WattbenchError';
import { gridIntensity } from './footprintData';
import type { ResolvedGrid } from './types';

export interface ResolveCountryOptions {
  /** The --country value, if given. */
  flag?: string;
  /** The environment to read WATTBENCH_COUNTRY from. Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export const WORLD_CODE = 'WORLD';
export const KNOWN_COUNTRY_CODES: readonly string[] = gridIntensity.countries.map((c) => c.code);

function describeSource(sourceId: string, year: number): string {
  const source = gridIntensity.sources[sourceId];
  return source ? `${source.title}, ${year} (${source.url})` : `${sourceId}, ${year}`;
}

export function resolveCountry(options: ResolveCountryOptions = {}): ResolvedGrid {
  const env = options.env ?? process.env;
  const fromEnv = env.WATTBENCH_COUNTRY?.trim() ? env.WATTBENCH_COUNTRY.trim() : undefined;
  const given = options.flag !== undefined ? options.flag.trim() : fromEnv;
  const origin: ResolvedGrid['origin'] = options.flag !== undefined ? 'flag' : fromEnv !== undefined ? 'env' : 'default';
  const code = (given ?? WORLD_CODE).toUpperCase();
  const entry = gridIntensity.countries.find((c) => c.code === code);
  if (!entry) {
    const where = origin === 'flag' ? '--country' : 'WATTBENCH_COUNTRY';
    throw new InputError(
      `unknown country "${given}" in ${where}: use an ISO 3166-1 alpha-2 code such as FR, DE, US, GB, IN or JP, or WORLD (${KNOWN_COUNTRY_CODES.length} known)`,
    );
  }
  return {
    code: entry.code,
    name: entry.name,
    gCo2ePerKwh: entry.gCo2ePerKwh,
    year: entry.year,
    source: describeSource(entry.source, entry.year),
    origin,
    isDefault: origin === 'default',
  };
}
