// `wattbench footprint`: a stored run beside cloud estimates (--run), or the estimate of a hypothetical request.
import fs from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { resolveDbPath } from '../../lib/db/dbPath';
import { openDb } from '../../lib/db/openDb';
import { InputError } from '../../lib/errors/WattbenchError';
import { compareLocalToCloud } from '../../lib/footprint/compareLocalToCloud';
import { estimateRequestImpact } from '../../lib/footprint/estimateRequestImpact';
import { formatComparison, formatEstimate } from '../output/formatFootprint';
import { getRunFootprintInput, localEnergyInput, localModelInfo } from '../../lib/records/getRunFootprintInput';
import type { Range } from '../../lib/footprint/types';
import { dbOption, jsonOption } from '../options/commonOptions';
import { FLAG_RANGES, describeRange, type FlagRange } from '../options/flagRanges';

interface FootprintFlags {
  run?: string;
  db?: string;
  country?: string;
  json?: boolean;
  activeParams?: string;
  totalParams?: string;
  outputTokens?: string;
  inputTokens?: string;
  provider?: string;
  pue?: string;
  wueOnsite?: string;
  wueOffsite?: string;
  gridGPerKwh?: string;
}

/** Flags of the hypothetical mode, as the user typed them. */
const HYPOTHETICAL_FLAGS: [keyof FootprintFlags, string][] = [
  ['activeParams', '--active-params'],
  ['totalParams', '--total-params'],
  ['outputTokens', '--output-tokens'],
  ['inputTokens', '--input-tokens'],
  ['provider', '--provider'],
  ['pue', '--pue'],
  ['wueOnsite', '--wue-onsite'],
  ['wueOffsite', '--wue-offsite'],
  ['gridGPerKwh', '--grid-g-per-kwh'],
];

const NUMBER = /^\d+(\.\d+)?$|^\.\d+$/;

function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InputError(`${flag} must be a whole number of tokens, 0 or more (got "${value}")`);
  return belowCap(Number(value), value, flag, FLAG_RANGES.footprintTokens);
}

/** The upper bound of a flag (FLAG_RANGES): a value beyond any real model or data centre is a typo, not a request. */
function belowCap(v: number, value: string, flag: string, range: FlagRange): number {
  if (v > range.max) throw new InputError(`${flag} must be at most ${describeRange(range).replace(/^.* to /, '')} (got "${value}")`);
  return v;
}

function parseNumber(value: string, flag: string, requirement: string, isValid: (v: number) => boolean, range: FlagRange): number {
  const v = Number(value.trim());
  if (!NUMBER.test(value.trim()) || !isValid(v)) throw new InputError(`${flag} must be ${requirement} (got "${value}")`);
  return belowCap(v, value, flag, range);
}

/** "8", "0.5" or a range "44-132" / "44..132" (closed models), in the flag's unit. */
function parseRangeFlag(value: string, flag: string, requirement: string, example: string, isValid: (v: number) => boolean, range: FlagRange): Range {
  const parts = value.trim().split(/\s*(?:\.\.|–|-)\s*/);
  const hint = `${requirement}, or a range such as ${example}`;
  if (parts.length > 2 || parts.some((p) => !NUMBER.test(p))) throw new InputError(`${flag} must be ${hint} (got "${value}")`);
  const [low, high] = [Number(parts[0]), Number(parts[parts.length - 1])];
  if (!isValid(low) || !isValid(high)) throw new InputError(`${flag} must be ${hint} (got "${value}")`);
  if (low > high) throw new InputError(`${flag}: the low bound ${low} is above the high bound ${high} (got "${value}")`);
  belowCap(high, value, flag, range);
  return { low, high };
}

function runComparison(flags: FootprintFlags): void {
  const given = HYPOTHETICAL_FLAGS.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
  if (given.length > 0) {
    throw new InputError(`--run compares a stored run and cannot take ${given.join(', ')}: drop ${given.length === 1 ? 'it' : 'them'}, or drop --run to estimate a hypothetical request`);
  }
  const runText = flags.run ?? '';
  if (!/^\d+$/.test(runText.trim()) || Number(runText) < 1) throw new InputError(`--run must be a run id, a whole number above 0 (got "${runText}")`);
  const runId = Number(runText);
  const dbPath = resolveDbPath(flags.db);
  if (!fs.existsSync(dbPath)) throw new InputError(`no database at ${dbPath}: run a benchmark first (wattbench run) or pass --db with its path`);

  const db = openDb(dbPath, { readonly: true });
  let input;
  try {
    input = getRunFootprintInput(db, runId);
  } finally {
    db.$client.close();
  }
  if (!input) throw new InputError(`run ${runId} not found; see wattbench list`);
  if (input.kind === 'monitor') throw new InputError(`run ${runId} is a monitor run: it generated no tokens, so there is nothing to compare with the cloud; see wattbench show ${runId}`);

  const comparison = compareLocalToCloud({
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    local: input.local ? localEnergyInput(input.local) : null,
    localModel: localModelInfo(input.model),
    country: flags.country,
  });
  if (flags.json) {
    const run = { id: input.runId, status: input.status, repetitions: input.repetitions };
    process.stdout.write(`${JSON.stringify({ run, ...comparison }, null, 2)}\n`);
  } else {
    process.stdout.write(formatComparison(comparison, { runId: input.runId, status: input.status, repetitions: input.repetitions }, { bold: pc.bold }));
  }
}

function runHypothetical(flags: FootprintFlags): void {
  if (flags.country !== undefined) {
    throw new InputError('--country sets your grid for --run; for a hypothetical request set the data centre grid with --grid-g-per-kwh');
  }
  if (flags.db !== undefined) throw new InputError('--db is read only with --run; drop it for a hypothetical request');
  if (flags.activeParams === undefined || flags.outputTokens === undefined) {
    throw new InputError('pass --run <id> to compare a stored run, or --active-params B and --output-tokens N to estimate a hypothetical request');
  }
  const positive = (v: number) => v > 0;
  const R = FLAG_RANGES;
  const active = parseRangeFlag(flags.activeParams, '--active-params', 'billions of parameters above 0', '44-132', positive, R.footprintParamsB);
  const total = flags.totalParams === undefined ? active : parseRangeFlag(flags.totalParams, '--total-params', 'billions of parameters above 0', '400-600', positive, R.footprintParamsB);
  const atLeastZero = (v: number) => v >= 0;
  const estimate = estimateRequestImpact({
    activeParamsB: active,
    totalParamsB: total,
    outputTokens: parseCount(flags.outputTokens, '--output-tokens'),
    inputTokens: flags.inputTokens === undefined ? undefined : parseCount(flags.inputTokens, '--input-tokens'),
    provider: flags.provider,
    pue: flags.pue === undefined ? undefined : parseRangeFlag(flags.pue, '--pue', 'a PUE of at least 1', '1.09-1.14', (v) => v >= 1, R.pue),
    wueOnsite: flags.wueOnsite === undefined ? undefined : parseRangeFlag(flags.wueOnsite, '--wue-onsite', 'litres per kWh, 0 or more', '0.13-0.99', atLeastZero, R.wueLitresPerKwh),
    wueOffsite: flags.wueOffsite === undefined ? undefined : parseNumber(flags.wueOffsite, '--wue-offsite', 'litres per kWh, 0 or more', atLeastZero, R.wueLitresPerKwh),
    gridGPerKwh: flags.gridGPerKwh === undefined ? undefined : parseNumber(flags.gridGPerKwh, '--grid-g-per-kwh', 'gCO2e per kWh, 0 or more', atLeastZero, R.gridGPerKwh),
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(estimate, null, 2)}\n`);
  else process.stdout.write(formatEstimate(estimate, { bold: pc.bold }));
}

export function registerFootprintCommand(program: Command): void {
  program
    .command('footprint')
    .description('Estimate what the same work costs in a data centre (EcoLogits 0.9.1): energy, carbon and water')
    .option('--run <id>', 'compare a stored run with cloud estimates for the same tokens')
    .addOption(dbOption())
    .option('--country <CC>', 'your grid, ISO 3166-1 alpha-2 code (default: WATTBENCH_COUNTRY, then the world average)')
    .option('--active-params <B>', 'hypothetical request: active parameters in billions (above 0, at most 100,000), or a range such as 44-132')
    .option('--total-params <B>', 'total parameters in billions, same bounds (default: the active parameters, a dense model)')
    .option('--output-tokens <N>', `generated tokens, ${describeRange(FLAG_RANGES.footprintTokens)}`)
    .option('--input-tokens <N>', `prompt tokens, ${describeRange(FLAG_RANGES.footprintTokens)} (recorded; EcoLogits 0.9.1 does not use them)`)
    .option('--provider <name>', 'data centre of a provider: openai, google, anthropic, mistral, huggingface_hub')
    .option('--pue <x>', `power usage effectiveness, ${describeRange(FLAG_RANGES.pue)}, instead of --provider`)
    .option('--wue-onsite <L>', `on-site water usage effectiveness, ${describeRange(FLAG_RANGES.wueLitresPerKwh)}`)
    .option('--wue-offsite <L>', `water used to generate the electricity, ${describeRange(FLAG_RANGES.wueLitresPerKwh)}`)
    .option('--grid-g-per-kwh <G>', `data-centre grid carbon intensity, ${describeRange(FLAG_RANGES.gridGPerKwh)} (default: the provider location's)`)
    .addOption(jsonOption('one JSON object'))
    .action((flags: FootprintFlags) => {
      if (flags.run !== undefined) runComparison(flags);
      else runHypothetical(flags);
    });
}
