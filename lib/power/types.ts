// The contract every power source implements, and what the sampler stores per sample.

/** Where a source's figures come from. */
export type PowerSourceId = 'rapl' | 'nvidia' | 'amdgpu' | 'apple' | 'battery' | 'estimate';
/** Every source, in the order detection probes and lists them. */
export const POWER_SOURCE_IDS: readonly PowerSourceId[] = ['rapl', 'nvidia', 'amdgpu', 'apple', 'battery', 'estimate'];
/** What a figure covers. */
export type EnergyBoundary = 'cpu-package' | 'cpu-cores' | 'dram' | 'gpu-board' | 'system';
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
  /**
   * For modelled domains, the model and its inputs as shown after "estimate: ", e.g.
   * "CodeCarbon CPU-load model (TDP 65 W)". Absent for measured domains.
   */
  model?: string;
  /**
   * How a read at a window boundary splits energy: "edges" when read() reads a counter at ctx.nowMs
   * (RAPL), so a tick taken at the boundary splits the energy exactly; "pro-rata" (the default) when the
   * figures come at the source's own cadence (nvidia-smi's loop, hwmon power averages, battery, the
   * estimate's load) and a window edge takes its share of a reading by time.
   */
  windowing?: EnergyWindowing;
}

/** See PowerDomain.windowing. */
export type EnergyWindowing = 'edges' | 'pro-rata';

/** True when a reading taken at a window boundary splits some source's energy exactly (a counter read on demand). */
export function readsAtEdges(sources: readonly Pick<PowerSource, 'domains'>[]): boolean {
  return sources.some((s) => s.domains.some((d) => d.windowing === 'edges'));
}

/** One reading of one domain at one sample time. */
export interface PowerReading extends PowerDomain {
  /** Mean power since the previous reading, watts. */
  watts: number;
  /** Energy since the previous reading, joules (from the counter where there is one). */
  joules: number;
  /**
   * Length of the interval the joules cover, ms (this read's nowMs minus the previous read's).
   * Lets the energy summary apportion a reading to a window that cuts it.
   */
  intervalMs?: number;
  /** GPU utilisation over the last driver sample, 0–1 (NVIDIA, amdgpu). */
  utilisation?: number;
  /** GPU memory in use, bytes (NVIDIA, amdgpu). */
  memoryUsedBytes?: number;
}

/** What the sampler knows at a tick, for sources that model power from load. */
export interface PowerTickContext {
  /** Epoch ms of this tick. */
  nowMs: number;
  /** Whole-machine CPU utilisation since the previous tick, 0–1. */
  cpuUtilisation: number;
  /**
   * This process's own CPU time since the previous tick (all threads), as a share of the machine's
   * capacity, 0–1. Absent where no benchmark runs in this process (`wattbench power` watches the machine).
   */
  processCpuUtilisation?: number;
}

export interface PowerSource {
  readonly id: PowerSourceId;
  /** A short human label for output, e.g. "Intel RAPL (powercap)" or "estimate: CodeCarbon CPU-load model, TDP 65 W". */
  readonly label: string;
  readonly domains: PowerDomain[];
  /**
   * Takes the first reading (counter baselines, spawns long-lived processes). Never rejects:
   * a source that cannot start is marked failed (see `failed`), so a run never stops for it.
   */
  start(ctx: PowerTickContext): Promise<void>;
  /**
   * Readings since the previous call. Must be cheap and synchronous (called at 10 Hz on the main thread).
   * A domain missing from the answer is a gap (source failed or not yet reporting). Never throws.
   */
  read(ctx: PowerTickContext): PowerReading[];
  /** True once the source has failed during the run (its energy figures are partial). */
  readonly failed: boolean;
  /** Why it failed, for the run's notes. */
  readonly failureReason?: string;
  /** Epoch ms at which it failed (feeds `summarizeEnergy`'s `failures`). */
  readonly failedAtMs?: number;
  /** Stops child processes and closes files. Safe to call twice. */
  stop(): Promise<void>;
}

/** What detection found for one source. */
export type SourceState = 'available' | 'permission-denied' | 'absent' | 'unsupported';

export interface SourceStatus {
  id: PowerSourceId;
  state: SourceState;
  /** One line: what was found, or why not ("2 packages: package-0, package-1", "nvidia-smi not found on PATH"). */
  detail: string;
  /** What the user can do about it, when something can be done. */
  fix?: string;
  /** True when detection put this source in `DetectedPower.sources`. */
  used: boolean;
}

/** A probe's verdict on one source, before detection decides whether to use it. */
export type ProbeStatus = Omit<SourceStatus, 'id' | 'used'>;
