// The domain's plain types: what a run, a machine and a reading are, independent of how they are stored.
// lib/db/schema.ts imports them (not the other way round), and so do the runner, the hardware probe and the readers.

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a run is, in `runs.kind`: null is a benchmark; "monitor" is `wattbench monitor` watching a process or the machine. */
export type RunKind = 'monitor';

/** "chat" when the model's chat template was applied, "completion" otherwise. */
export type PromptFormat = 'chat' | 'completion';

/** What a run's energy total is made of: measured (sensors), estimate, mixed, or none. */
export const ENERGY_BASES = ['measured', 'estimate', 'mixed', 'none'] as const;
export type EnergyBasis = (typeof ENERGY_BASES)[number];

/** How window edges were read: a counter read at each boundary, or readings shared by time across an edge. */
export type Windowing = 'edges' | 'pro-rata';

export interface ThreadCalibrationMeasurement {
  threads: number;
  /** Prompt-processing tokens/s (median of the tries). */
  promptTokensPerSec: number;
  /** Generation tokens/s (median of the tries). */
  genTokensPerSec: number;
}

export interface GpuInfo {
  name: string;
  vendor: string;
  memoryBytes?: number;
}

/** One source's and domain's reading at one sample, as stored in `samples.power`. */
export interface PowerReadingRow {
  source: string;
  domain: string;
  boundary: string;
  method: string;
  watts: number;
  /** Energy of the interval ending at this sample, joules (enough to recompute energy from the database). */
  joules?: number;
  intervalMs?: number;
  countsTowardTotal?: boolean;
  /** The estimate's model, for modelled figures. */
  model?: string;
}
