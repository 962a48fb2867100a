// Parsing of the power flags shared by `wattbench run` and `wattbench power`: --power, --tdp, --idle-watts.
import { InputError } from '../errors/WattbenchError';
import { POWER_SOURCE_IDS, type PowerSourceId } from './types';

/** "auto" or a comma-separated list of source ids ("rapl,nvidia"); throws InputError for anything else. */
export function parsePowerOption(value: string): 'auto' | PowerSourceId[] {
  const text = value.trim().toLowerCase();
  if (text === 'auto' || text === '') return 'auto';
  const ids: PowerSourceId[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    if (!(POWER_SOURCE_IDS as readonly string[]).includes(part)) {
      throw new InputError(`--power: unknown source "${part}"; use auto or a comma-separated list of ${POWER_SOURCE_IDS.join(', ')}`);
    }
    if (!ids.includes(part as PowerSourceId)) ids.push(part as PowerSourceId);
  }
  if (ids.length === 0) throw new InputError(`--power: no source given; use auto or a comma-separated list of ${POWER_SOURCE_IDS.join(', ')}`);
  return ids;
}

/** Upper bound for a watts flag: above any single CPU package sold. */
export const MAX_WATTS = 5000;

/**
 * A watts flag (--tdp, --idle-watts) from its command-line text or number. `zeroAllowed`: idle may
 * be 0, a TDP may not. Throws InputError naming the flag.
 */
export function parseWattsOption(flag: string, value: string | number, zeroAllowed: boolean): number {
  const n = typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0) || n > MAX_WATTS) {
    throw new InputError(`${flag} must be a number of watts ${zeroAllowed ? 'from 0' : 'above 0'} to ${MAX_WATTS} (got "${value}")`);
  }
  return n;
}
