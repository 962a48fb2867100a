// Commander argument parsers: bad values are rejected before any work starts, with the fix in the message.
import net from 'node:net';
import { InvalidArgumentError } from 'commander';
import { InputError } from '../../lib/errors/WattbenchError';
import { parseWattsOption } from '../../lib/power/parsePowerOptions';
import { FLAG_RANGES, describeRange, type FlagRange } from './flagRanges';

/** Whole numbers from min to max: the parser behind every count flag. */
export function intOption(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return rangeOption({ min, max, integer: true, unit: '' });
}

/**
 * A parser for a flag of the given range: plain decimal text only (no "1e3", "0x10", "Infinity"), inside the
 * bounds, else commander's one-line "option '--x <n>' argument 'v' is invalid. expected …" (exit 2).
 */
export function rangeOption(range: FlagRange): (value: string) => number {
  const what = `${range.integer ? 'a whole number' : 'a number'} from ${describeRange(range)}`;
  const pattern = range.integer ? /^-?\d+$/ : /^-?(\d+(\.\d*)?|\.\d+)$/;
  return (value: string) => {
    if (!pattern.test(value.trim())) throw new InvalidArgumentError(`expected ${what}, got "${value}"`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < range.min || n > range.max) throw new InvalidArgumentError(`expected ${what}, got ${value.trim()}`);
    return n;
  };
}

export function gpuLayersOption(value: string): 'auto' | 'max' | number {
  if (value === 'auto' || value === 'max') return value;
  return rangeOption(FLAG_RANGES.gpuLayers)(value);
}

/**
 * A comma list for a sweep flag ("1,2,4"): every element parsed by `parseOne` (its error names the element, and
 * commander's line names the flag), no empty element, none twice. A single value is a list of one.
 */
export function listOption<T>(parseOne: (value: string) => T): (value: string) => T[] {
  return (value: string) => {
    const parts = value.split(',').map((p) => p.trim());
    if (parts.some((p) => p === '')) throw new InvalidArgumentError(`expected a comma list without empty elements, got "${value}"`);
    const seen = new Set<string>();
    for (const p of parts) {
      if (seen.has(p)) throw new InvalidArgumentError(`"${p}" appears twice in the list`);
      seen.add(p);
    }
    return parts.map((p) => {
      try {
        return parseOne(p);
      } catch (err) {
        // Name the element, not only the whole list commander quotes.
        if (err instanceof InvalidArgumentError && parts.length > 1) throw new InvalidArgumentError(`element "${p}": ${err.message}`);
        throw err;
      }
    });
  };
}

/** A TCP port, 1–65535: the one check for every --port. */
export function parsePort(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new InputError(`--port must be a whole number from 1 to 65535, got "${value}"`);
  }
  return Number(value);
}

export function parseHost(value: string): string {
  const host = value.trim();
  if (!host || (net.isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host))) {
    throw new InputError(`--host must be an IP address or a host name (e.g. 127.0.0.1 or 0.0.0.0), got "${value}"`);
  }
  return host;
}

/** --tdp: watts above 0, capped like every watts flag, checked while the flags are parsed. */
export function parseTdp(value: string): number {
  return parseWattsOption('--tdp', value, false);
}

/** --idle-watts: watts from 0, capped like every watts flag. */
export function parseIdleWatts(value: string): number {
  return parseWattsOption('--idle-watts', value, true);
}
