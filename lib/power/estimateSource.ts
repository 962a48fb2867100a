// The estimate when no sensor is readable: CodeCarbon's CPU-load model, plus its RAM model. Every reading
// is labelled modelled. During a benchmark the CPU load is this process's own CPU time (CodeCarbon's
// process mode), so that other busy processes are not charged to the run; without one (`wattbench power`
// watching the machine) it is the whole machine's load.
import os from 'node:os';
import { cpuLoadPowerW, formatWatts, resolveEstimateModel, type EstimateModel } from './cpuPowerModel';
import type { PowerDomain, PowerReading, PowerSource, PowerTickContext } from './types';

export interface EstimateSourceOptions {
  /** CPU model name. Defaults to the first entry of os.cpus() (the /proc/cpuinfo "model name"). */
  cpuModel?: string;
  /** Logical CPUs visible. Defaults to os.availableParallelism(). */
  logicalCpus?: number;
  /** Physical memory, bytes. Defaults to os.totalmem(). */
  memoryBytes?: number;
  /** --tdp: TDP in watts, replacing the table. Defaults to the table, else 4 W per thread. */
  tdpW?: number;
  /** --idle-watts: CPU power at zero load, watts. Defaults to 10 % of TDP. */
  idleWatts?: number;
  /** CPU architecture. Defaults to process.arch. */
  arch?: string;
  /**
   * False when a measuring source already covers the CPU (an explicit `--power rapl,estimate`):
   * the estimate is then shown beside the measurement and kept out of the total. Defaults to true.
   */
  countsTowardTotal?: boolean;
}

/** Appended to the CPU model's label when its load is this process's CPU time rather than the machine's. */
export const PROCESS_MODE_SUFFIX = ', attributed by process CPU time';

/** The CPU model name this OS reports, or "unknown CPU". */
export function detectCpuModel(): string {
  const model = os.cpus()[0]?.model?.trim();
  return model ? model : 'unknown CPU';
}

export interface EstimateSource extends PowerSource {
  /** The resolved model (TDP, idle, RAM watts and their origins), for listings and tests. */
  readonly model: EstimateModel;
}

/** The estimate source. Throws InputError for contradictory --tdp / --idle-watts. */
export function createEstimateSource(options: EstimateSourceOptions = {}): EstimateSource {
  const model = resolveEstimateModel({
    cpuModel: options.cpuModel ?? detectCpuModel(),
    logicalCpus: options.logicalCpus ?? os.availableParallelism(),
    memoryBytes: options.memoryBytes ?? os.totalmem(),
    tdpW: options.tdpW,
    idleWatts: options.idleWatts,
    arch: options.arch,
  });
  const counts = options.countsTowardTotal ?? true;
  const cpu: PowerDomain = { source: 'estimate', domain: 'cpu', boundary: 'cpu-package', method: 'modelled', countsTowardTotal: counts, model: model.cpuModelLabel };
  const ram: PowerDomain = { source: 'estimate', domain: 'ram', boundary: 'dram', method: 'modelled', countsTowardTotal: counts, model: model.ramModelLabel };
  let lastMs = 0;
  let started = false;

  return {
    id: 'estimate',
    label: `estimate: ${model.cpuModelLabel} + ${model.ramModelLabel.replace(/^CodeCarbon /, '')}`,
    domains: [cpu, ram],
    model,
    failed: false,
    async start(ctx: PowerTickContext) {
      lastMs = ctx.nowMs;
      started = true;
    },
    read(ctx: PowerTickContext): PowerReading[] {
      const intervalMs = ctx.nowMs - lastMs;
      if (!started || intervalMs <= 0) return [];
      lastMs = ctx.nowMs;
      const attributed = ctx.processCpuUtilisation !== undefined;
      const cpuW = cpuLoadPowerW(model.tdpW, ctx.processCpuUtilisation ?? ctx.cpuUtilisation, model.idleW);
      const s = intervalMs / 1000;
      return [
        { ...cpu, ...(attributed ? { model: `${model.cpuModelLabel}${PROCESS_MODE_SUFFIX}` } : {}), watts: cpuW, joules: cpuW * s, intervalMs },
        { ...ram, watts: model.ramW, joules: model.ramW * s, intervalMs },
      ];
    },
    async stop() {
      started = false;
    },
  };
}

/** One line describing the estimate for `wattbench power`. */
export function describeEstimate(model: EstimateModel): string {
  const idle = `${formatWatts(model.idleW)} W idle … ${formatWatts(model.tdpW)} W at full load`;
  return `${model.cpuModelLabel}: ${idle}; ${model.ramModelLabel}; TDP from ${model.tdpOrigin}`;
}
