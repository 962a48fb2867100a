// The contract every power source implements, and what the sampler stores per sample.

/** Where a source's figures come from. */
export type PowerSourceId = 'rapl' | 'nvidia' | 'amdgpu' | 'apple' | 'battery' | 'estimate';
/** What a figure covers. */
export type EnergyBoundary = 'cpu-package' | 'dram' | 'gpu-board' | 'system';
/** How a figure was obtained: a hardware energy counter, power readings integrated over time, or a model. */
export type EnergyMethod = 'counter' | 'integrated-power' | 'modelled';

/** One domain of one source, e.g. RAPL "package-0" (cpu-package) or NVIDIA "gpu0" (gpu-board). */
export interface PowerDomain {
  source: PowerSourceId;
  /** Name as the source reports it: "package-0", "dram", "core", "psys", "gpu0", "BAT0", "cpu"… */
  domain: string;
  boundary: EnergyBoundary;
  method: EnergyMethod;
  /**
   * False when the domain is contained in another one that is already counted (RAPL core/dram
   * sub-zones inside their package): reported separately, never added to the total.
   */
  countsTowardTotal: boolean;
}

/** One reading of one domain at one sample time. */
export interface PowerReading extends PowerDomain {
  /** Mean power since the previous reading, watts. */
  watts: number;
  /** Energy since the previous reading, joules (from the counter where there is one). */
  joules: number;
}

/** What the sampler knows at a tick, for sources that model power from load. */
export interface PowerTickContext {
  /** Epoch ms of this tick. */
  nowMs: number;
  /** Whole-machine CPU utilisation since the previous tick, 0–1. */
  cpuUtilisation: number;
}

export interface PowerSource {
  readonly id: PowerSourceId;
  /** A short human label for output, e.g. "Intel RAPL (powercap)" or "estimate: CodeCarbon CPU-load model, TDP 65 W". */
  readonly label: string;
  readonly domains: PowerDomain[];
  /** Takes the first reading (counter baselines, spawns long-lived processes). */
  start(ctx: PowerTickContext): Promise<void>;
  /**
   * Readings since the previous call. Must be cheap and synchronous (called at 10 Hz on the main thread).
   * A domain missing from the answer is a gap (source failed or not yet reporting).
   */
  read(ctx: PowerTickContext): PowerReading[];
  /** True once the source has failed during the run (its energy figures are partial). */
  readonly failed: boolean;
  /** Why it failed, for the run's notes. */
  readonly failureReason?: string;
  stop(): Promise<void>;
}
