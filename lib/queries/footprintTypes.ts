// What the Footprint page gives the footprint estimator, and what it expects back (plain data, no functions).
import type { EnergyBasis } from '../format/energyLabel';
import type { RunFootprintEnergy, RunFootprintInput } from '../records/getRunFootprintInput';

/** Inputs of the comparison, collected from one run by getRunFootprint. */
export interface FootprintInput {
  runId: number;
  /** Country code asked for on the page ("FR", "WORLD"); null: the estimator's default. */
  country: string | null;
  /** Sum of results.promptTokens over measured repetitions. */
  inputTokens: number;
  /** Sum of results.outputTokens over measured repetitions. */
  outputTokens: number;
  /** Measured repetitions (answers) the tokens come from. */
  answers: number;
  /** Whole-run local energy (counted rows with resultId null) and its Wh; null: not measured. */
  local: (RunFootprintEnergy & { wh: number }) | null;
  model: RunFootprintInput['model'];
}

export interface Range {
  low: number;
  high: number;
}

/** The estimator's answer, shown by the Footprint page. */
export interface FootprintComparison {
  country: { code: string; name: string; gPerKwh: number; year: number; source: string; isDefault: boolean };
  local: {
    wh: number;
    gco2e: number;
    source: string;
    boundary: string;
    method: string;
    label: string;
    /** measured | estimate | mixed, as the comparison read it. */
    basis: Exclude<EnergyBasis, 'none'>;
    /** Which time the figure covers; as given in FootprintInput.local.window. */
    window: string | null;
    /** As given in FootprintInput.local.constantNote. */
    constantNote: string | null;
  } | null;
  cloud: Array<{
    key: string;
    label: string;
    model: string;
    provider: string;
    energyWh: Range;
    gco2eProviderGrid: Range;
    gco2eLocalGrid: Range;
    waterMl: Range;
    /** Set when the model is far outside the sizes the cloud estimate's fit was made on (English, as in the CLI). */
    fitWarning: string | null;
    /** The same as data, for the page to say in its language. */
    fitRange: FitRange | null;
  }>;
  published: Array<{
    who: string;
    claim: string;
    wh?: number;
    gco2e?: number;
    waterMl?: number;
    boundary: string;
    source: string;
    date: string;
  }>;
  method: { name: string; version: string };
}

/** How far a cloud model is outside the sizes EcoLogits' energy fit was made on (lib/footprint FitRangeCheck). */
export interface FitRange {
  side: 'below' | 'above';
  /** Active parameters of the model, billions. */
  activeParamsB: number;
  /** Times smaller than the smallest fitted model (below), or larger than the largest (above). */
  factor: number;
  /** The fitted sizes, billions of active parameters. */
  fitLowB: number;
  fitHighB: number;
}

export interface FootprintCountry {
  code: string;
  name: string;
}

/** The footprint estimator, as the page uses it (lib/footprint provides it; see footprintEstimator.ts). */
export interface FootprintEstimator {
  compare(input: FootprintInput): FootprintComparison;
  /** Countries the page offers, first the default. */
  countries(): FootprintCountry[];
}
