// Options shared by several commands, declared once so that their wording, defaults and checks agree everywhere.
import { Option } from 'commander';
import { DEFAULT_DB_PATH } from '../../lib/db/dbPath';
import { IDLE_FRACTION_OF_TDP, WATTS_PER_THREAD_FALLBACK } from '../../lib/power/cpuPowerModel';
import { MAX_WATTS, parsePowerOption } from '../../lib/power/parsePowerOptions';
import { POWER_SOURCE_IDS } from '../../lib/power/types';
import { InputError } from '../../lib/errors/WattbenchError';
import { parseHost, parseIdleWatts, parsePort, parseTdp, rangeOption } from './parseOptions';
import { FLAG_RANGES, describeRange } from './flagRanges';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../lib/server/defaults';

export { DEFAULT_HOST, DEFAULT_PORT };

export function dbOption(): Option {
  return new Option('--db <file>', `SQLite database file (default: WATTBENCH_DB, else ./${DEFAULT_DB_PATH})`);
}

/** `what`: what the command prints instead of its text, e.g. "one JSON object with the run record". */
export function jsonOption(what: string): Option {
  return new Option('--json', `print ${what} to stdout`);
}

export function portOption(flags: '--port <n>' | '-p, --port <n>' = '--port <n>'): Option {
  return new Option(flags, 'dashboard TCP port, 1 to 65535').argParser(parsePort).default(DEFAULT_PORT);
}

export function hostOption(): Option {
  return new Option('--host <host>', 'interface to listen on; anything but loopback exposes the dashboard to the network').argParser(parseHost).default(DEFAULT_HOST);
}

export function powerOption(): Option {
  return new Option('--power <auto|list>', `power sources: auto, or a comma-separated list of ${POWER_SOURCE_IDS.join(',')}`).argParser(parsePowerOption).default('auto');
}

export function tdpOption(): Option {
  return new Option(
    '--tdp <watts>',
    `CPU package TDP for the estimate, watts, at most ${MAX_WATTS} (default: the bundled table, else ${WATTS_PER_THREAD_FALLBACK} W per thread; scaled to a VM's visible threads when the CPU is in the table)`,
  ).argParser(parseTdp);
}

export function idleWattsOption(): Option {
  return new Option('--idle-watts <watts>', `CPU power at zero load for the estimate, watts, below the TDP (default: ${IDLE_FRACTION_OF_TDP * 100} % of the TDP)`).argParser(parseIdleWatts);
}

/** `list --limit`: how many runs to show. */
export function limitOption(): Option {
  return new Option('-n, --limit <n>', `how many runs, ${describeRange(FLAG_RANGES.listLimit)}`).argParser(rangeOption(FLAG_RANGES.listLimit)).default(50);
}

/** `power --interval-ms`: how often --watch prints. */
export function powerIntervalOption(): Option {
  const { min, max } = FLAG_RANGES.powerIntervalMs;
  const parse = (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
      throw new InputError(`--interval-ms must be a whole number of ms from ${min} to ${max} (got "${value}")`);
    }
    return Number(value);
  };
  return new Option('--interval-ms <ms>', `interval of --watch, ${describeRange(FLAG_RANGES.powerIntervalMs)}`).argParser(parse).default(1000);
}
