// Whose CPU work the measured windows saw: the machine's load, this process's own, and the rest (other
// processes), from the sampler's samples. Pure functions. RAPL and GPU counters measure everyone's work,
// so when others used a notable share the run's figures include it and the run says so.
import type { PowerSourceId } from '../power/types';

/**
 * Others' CPU use, % of the machine's capacity, from which a run warns. One busy core of an 8-thread
 * machine is 12.5 %; below 10 % (background daemons, a browser tab) the effect on the figures is small
 * next to the sensors' own uncertainty.
 */
export const OTHERS_CPU_NOTABLE_PERCENT = 10;

export interface CpuLoadSample {
  /** Epoch ms. */
  t: number;
  /** Whole machine since the previous sample that has it, 0–100 % (null: not read at this sample). */
  cpuPercent: number | null;
  /** This process since the previous sample, 0–100 % of the machine. */
  processCpuPercent: number | null;
}

export interface CpuLoad {
  /** Mean whole-machine CPU use over the windows, % of capacity. */
  machinePercent: number;
  /** Mean CPU use of this process (the benchmark) over the windows, % of capacity. */
  processPercent: number;
  /** machine − process, never below 0: other processes' share. */
  othersPercent: number;
  /** Window time the samples covered, ms. */
  coveredMs: number;
}

export interface OthersLoadWarning {
  othersPercent: number;
  thresholdPercent: number;
  /** Sources whose figures measure the whole device, so include other processes' work. */
  includedBy: PowerSourceId[];
  /** True when the estimate is among the figures: its CPU part is attributed by this process's CPU time. */
  estimateAttributed: boolean;
  /** The warning in English, for the terminal and --json (the dashboard words it from the fields). */
  message: string;
}

/** Time-weighted mean of each series over the windows (sorted, disjoint); null when no sample covers them. */
export function summarizeCpuLoad(samples: readonly CpuLoadSample[], windows: ReadonlyArray<{ startMs: number; endMs: number }>): CpuLoad | null {
  const machine = weightedMean(samples, windows, (s) => s.cpuPercent);
  const own = weightedMean(samples, windows, (s) => s.processCpuPercent);
  if (!machine || !own) return null;
  return {
    machinePercent: machine.mean,
    processPercent: own.mean,
    othersPercent: Math.max(0, machine.mean - own.mean),
    coveredMs: Math.min(machine.ms, own.ms),
  };
}

/**
 * A sample's value covers (t of the previous sample with a value, t]. Walks samples and windows once:
 * both are in time order.
 */
function weightedMean(
  samples: readonly CpuLoadSample[],
  windows: ReadonlyArray<{ startMs: number; endMs: number }>,
  value: (s: CpuLoadSample) => number | null,
): { mean: number; ms: number } | null {
  let prevT: number | null = null;
  let w = 0;
  let sum = 0;
  let ms = 0;
  for (const s of samples) {
    const v = value(s);
    if (v === null) continue;
    if (prevT !== null && s.t > prevT) {
      while (w < windows.length && windows[w].endMs <= prevT) w++;
      for (let i = w; i < windows.length && windows[i].startMs < s.t; i++) {
        const overlap = Math.min(s.t, windows[i].endMs) - Math.max(prevT, windows[i].startMs);
        if (overlap > 0) {
          sum += v * overlap;
          ms += overlap;
        }
      }
    }
    prevT = s.t;
  }
  return ms > 0 ? { mean: sum / ms, ms } : null;
}

/** The warning when others used at least OTHERS_CPU_NOTABLE_PERCENT of the CPU, else null. */
export function othersLoadWarning(load: CpuLoad | null, counted: ReadonlyArray<{ source: PowerSourceId; method: string }>): OthersLoadWarning | null {
  if (!load || load.othersPercent < OTHERS_CPU_NOTABLE_PERCENT) return null;
  const includedBy = [...new Set(counted.filter((s) => s.method !== 'modelled').map((s) => s.source))];
  const estimateAttributed = counted.some((s) => s.method === 'modelled');
  const pct = (x: number) => `${Math.round(x)} %`;
  const parts = [
    `other processes used ${pct(load.othersPercent)} of the CPU during the measured repetitions (this run ${pct(load.processPercent)}, whole machine ${pct(load.machinePercent)})`,
  ];
  if (includedBy.length) parts.push(`${includedBy.join(', ')} measure the whole device, so these figures include their work`);
  if (estimateAttributed) parts.push(`the estimate's CPU part is attributed by this process's CPU time, so it is less affected`);
  parts.push('timings may be slower than on an otherwise idle machine');
  return { othersPercent: load.othersPercent, thresholdPercent: OTHERS_CPU_NOTABLE_PERCENT, includedBy, estimateAttributed, message: parts.join('; ') };
}
