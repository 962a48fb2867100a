// Shapes shared by the footprint estimator, the CLI and the dashboard.

/** A figure known only within bounds; `low === high` when it is exact. */
export interface Range {
  low: number;
  high: number;
}

/** A single value, or bounds for a figure known only as a range. */
export type RangeInput = number | Range;

/** Names the estimation method, so every figure can carry its provenance. */
export interface EstimateMethod {
  name: 'EcoLogits';
  version: '0.9.1';
  /** Short label for terminal output, e.g. "estimate: EcoLogits 0.9.1". */
  label: string;
  source: string;
  /** What the estimate counts and what it leaves out. */
  boundary: string;
}

/** Data-centre factors applied to an estimate, and where they come from. */
export interface DataCentreFactors {
  /** Provider id from providers.json, or "custom" (flags) or "unspecified" (no provider, no flags). */
  providerId: string;
  providerName: string;
  /** Power usage effectiveness: facility energy / IT energy (dimensionless). */
  pue: Range;
  /** On-site water usage effectiveness, litres per kWh of IT energy. */
  wueOnsiteLPerKwh: Range;
  /** Off-site water intensity of the electricity, litres per kWh generated. */
  wueOffsiteLPerKwh: number;
  /** Carbon intensity of the electricity the data centre uses, gCO2e per kWh. */
  gridGCo2ePerKwh: number;
  /** Where the grid figure comes from (zone and dataset, or the flag that set it). */
  gridLabel: string;
  source: string;
}

/** The result of estimating one request (or the sum of several) with EcoLogits 0.9.1. */
export interface RequestImpactEstimate {
  method: EstimateMethod;
  kind: 'estimate';
  activeParamsB: Range;
  totalParamsB: Range;
  outputTokens: number;
  /** Recorded only: EcoLogits 0.9.1 computes energy from output tokens alone. */
  inputTokens: number | null;
  factors: DataCentreFactors;
  /** Request energy including data-centre overhead (PUE), watt-hours. */
  energyWh: Range;
  /** GPU share of the energy before PUE, watt-hours. */
  gpuEnergyWh: Range;
  /** Server (without GPUs) share of the energy before PUE, watt-hours. */
  serverEnergyWh: Range;
  /** Usage emissions with the data centre's grid, gCO2e. */
  gco2e: Range;
  /** Embodied emissions of the server and GPUs allocated to this work, gCO2e (not included in `gco2e`). */
  embodiedGco2e: Range;
  /** Usage plus embodied emissions, gCO2e: the total EcoLogits reports as GWP. */
  totalGco2e: Range;
  /** Usage water (on-site cooling plus off-site electricity generation), millilitres. */
  waterMl: Range;
  /** H100 80 GB GPUs needed to hold the weights (power of two). */
  gpus: Range;
  /** Generation time of the request on the server, seconds. */
  generationTimeS: Range;
  assumptions: string[];
}

/** A user's grid: the country chosen and its carbon intensity. */
export interface ResolvedGrid {
  /** ISO 3166-1 alpha-2 code, or "WORLD". */
  code: string;
  name: string;
  gCo2ePerKwh: number;
  year: number;
  source: string;
  /** How it was chosen: --country, WATTBENCH_COUNTRY, or the world-average default. */
  origin: 'flag' | 'env' | 'default';
  isDefault: boolean;
}

/** A figure a provider or benchmark published about its own service. Never an input to an estimate. */
export interface PublishedFigure {
  id: string;
  kind: 'published-claim';
  publisher: string;
  title: string;
  date: string;
  dateLabel: string;
  citation: string;
  url: string;
  unitOfWork: string;
  boundary: string;
  quantities: {
    energyWh?: number;
    gco2e?: number;
    waterMl?: number;
    adpeMgSbEq?: number;
    energyJPerOutputToken?: number;
  };
  note?: string;
}

/** The local run's energy as measured or estimated by wattbench's power sources. */
export interface LocalEnergyInput {
  joules: number;
  /** Power source(s), e.g. "rapl" or "estimate". */
  source: string;
  /** What the figure covers, e.g. "cpu-package + dram". */
  boundary: string;
  /** "counter", "integrated-power" or "modelled". */
  method: string;
  /** True when a source failed during the run, so the figure covers only part of it. */
  partial?: boolean;
  /** The figure's full label (describeEnergyList), e.g. "measured: RAPL energy counters · CPU package". */
  label: string;
  /** measured | estimate | mixed (the run's energy basis); derived from `method` when absent. */
  basis?: 'measured' | 'estimate' | 'mixed';
  /** Which time the figure covers, e.g. the measured repetitions only. */
  window?: string;
  /** Said beside the figure when a constant term dominates an estimate. */
  constantNote?: string | null;
}

export interface LocalModelInfo {
  /** Model name from the GGUF metadata, when it has one. */
  name: string | null;
  fileName: string;
  /** Total parameter count (not billions), when known. */
  parameters: number | null;
}

/** How far a model is outside the sizes the energy fit was made on (see ecologits fitRangeCheck). */
export interface FitRangeCheck {
  /** Below the smallest fitted model, or above the largest. */
  side: 'below' | 'above';
  /** The model's active parameters, billions. */
  activeParamsB: number;
  /** How many times smaller than the smallest, or larger than the largest, fitted model. */
  factor: number;
  /** The fitted sizes, billions of active parameters. */
  fitLowB: number;
  fitHighB: number;
}

export type CloudRowRole = 'same-open-model' | 'small-closed' | 'frontier';

/** One cloud alternative for the same work. */
export interface CloudComparisonRow {
  role: CloudRowRole;
  title: string;
  model: {
    id: string | null;
    name: string;
    providerId: string;
    architecture: 'dense' | 'moe';
    open: boolean;
    /** How the model was chosen: catalogue name match, the local model's own parameter count, or a fixed class. */
    matchedBy: 'name' | 'own-parameter-count' | 'class';
    source: string;
  };
  /** Null when the estimate cannot be made (e.g. the local model's size is unknown). */
  estimate: RequestImpactEstimate | null;
  /** The same energy with the user's grid instead of the provider's, gCO2e. */
  gco2eLocalGrid: Range | null;
  /** Why `estimate` is null. */
  unavailableReason?: string;
  /** Set when the model is far outside the sizes EcoLogits' energy fit was made on, saying by how much. */
  fitWarning?: string;
  /** The same as data (side, size, factor), for views that say it in another language; set with fitWarning. */
  fitRange?: FitRangeCheck;
}

export interface LocalCloudComparison {
  /** The method of every cloud row. */
  method: EstimateMethod;
  inputTokens: number;
  outputTokens: number;
  grid: ResolvedGrid;
  local: {
    model: LocalModelInfo;
    /** False: no power source recorded energy for this run ("not measured", never zero). */
    recorded: boolean;
    /** True only when every counted figure comes from a sensor: never for an estimate, nor a mix. */
    measured: boolean;
    /** True when the figure comes, wholly or partly, from a model of power rather than a sensor. */
    estimated: boolean;
    /** measured | estimate | mixed | none. */
    basis: 'measured' | 'estimate' | 'mixed' | 'none';
    /** Which time the figure covers (measured repetitions; load, idle and warm-ups excluded); null without energy. */
    window: string | null;
    /** Said beside the figure when a constant term dominates an estimate; null otherwise. */
    constantNote: string | null;
    energyWh: number | null;
    /** Local energy with the user's grid, gCO2e. */
    gco2eLocalGrid: number | null;
    /** Local water is not estimated. */
    waterMl: null;
    waterNote: string;
    source: string | null;
    boundary: string | null;
    energyMethod: string | null;
    partial: boolean;
    /** e.g. "measured: rapl, cpu-package" or "estimate: estimate, cpu-package" or "not measured". */
    label: string;
  };
  cloud: CloudComparisonRow[];
  published: PublishedFigure[];
  notes: string[];
}
