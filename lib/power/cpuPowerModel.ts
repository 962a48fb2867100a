// The published model behind the estimate source: CodeCarbon v3's CPU-load and RAM models
// (mlco2/codecarbon: codecarbon/external/hardware.py CPU._get_power_from_cpu_load, machine mode;
// codecarbon/core/cpu.py DEFAULT_POWER_PER_CORE; codecarbon/external/ram.py RAM._calculate_ram_power).
// Pure functions: docs/power.md gives the formulas and tests check them by hand.
import { InputError } from '../errors/WattbenchError';
import { matchCpuTdp, type CpuTdpEntry } from './matchCpuTdp';

/** CodeCarbon's TDP for a CPU missing from its table: watts per logical CPU. */
export const WATTS_PER_THREAD_FALLBACK = 4;
/** CodeCarbon's floor: an idle CPU draws 10 % of its TDP. */
export const IDLE_FRACTION_OF_TDP = 0.1;
/** CodeCarbon's RAM power per DIMM, watts (x86; 1.5 W on ARM). */
export const WATTS_PER_DIMM_X86 = 5;
export const WATTS_PER_DIMM_ARM = 1.5;

/**
 * CPU power at a whole-machine load: `idle + (TDP − idle) · load³`. With CodeCarbon's idle of
 * 0.1 · TDP this is its `TDP · (0.1 + 0.9 · load³)`; --idle-watts replaces the idle term.
 */
export function cpuLoadPowerW(tdpW: number, load: number, idleW: number = IDLE_FRACTION_OF_TDP * tdpW): number {
  const l = Math.min(1, Math.max(0, Number.isFinite(load) ? load : 0));
  return idleW + (tdpW - idleW) * l ** 3;
}

/** CodeCarbon's guess of the number of DIMMs from the memory size in GiB. */
export function estimateDimmCount(totalGiB: number): number {
  if (totalGiB <= 2) return 1;
  if (totalGiB <= 16) return 2;
  if (totalGiB <= 32) return 4;
  if (totalGiB <= 64) return 4;
  if (totalGiB <= 128) return 8;
  for (const size of [128, 64, 32, 16, 8, 4]) {
    if (size <= totalGiB / 8) return Math.min(Math.ceil(totalGiB / size), 32);
  }
  return 8;
}

/** CodeCarbon's RAM power: per-DIMM watts with a smaller marginal cost past 4, 8 and 16 DIMMs, and a floor. */
export function ramPowerW(dimms: number, arm: boolean): number {
  const b = arm ? WATTS_PER_DIMM_ARM : WATTS_PER_DIMM_X86;
  const floor = arm ? 3 : 2 * b;
  let w: number;
  if (dimms <= 4) w = b * dimms;
  else if (dimms <= 8) w = 4 * b + 0.9 * b * (dimms - 4);
  else if (dimms <= 16) w = 4 * b + 0.9 * b * 4 + 0.8 * b * (dimms - 8);
  else w = 4 * b + 0.9 * b * 4 + 0.8 * b * 8 + 0.7 * b * (dimms - 16);
  return Math.max(floor, w);
}

export interface EstimateModelInputs {
  /** CPU model name as the OS reports it. */
  cpuModel: string;
  /** Logical CPUs this OS sees (a VM may see part of a package). */
  logicalCpus: number;
  /** Physical memory, bytes. */
  memoryBytes: number;
  /** --tdp: the CPU's TDP, watts; replaces the table and the fallback. */
  tdpW?: number;
  /** --idle-watts: CPU power at zero load, watts; replaces 10 % of TDP. */
  idleWatts?: number;
  /** CPU architecture ("x64", "arm64"): ARM memory draws less. Defaults to process.arch. */
  arch?: string;
}

export interface EstimateModel {
  /** TDP used by the model, watts (after VM scaling). */
  tdpW: number;
  /** CPU power at zero load, watts. */
  idleW: number;
  /** The table entry, or null for an unknown CPU or --tdp. */
  entry: CpuTdpEntry | null;
  /** visibleThreads / packageThreads when the TDP was scaled, else null. */
  threadScale: { visible: number; package: number } | null;
  /**
   * Why a --tdp value was used as given: the CPU is not in the table, so the package's thread count (and
   * thus a VM's share of it) is unknown. Null when there was no --tdp or it was scaled like the table's.
   */
  tdpNotScaled: string | null;
  /** "CodeCarbon CPU-load model (TDP 65 W)" */
  cpuModelLabel: string;
  ramW: number;
  dimms: number;
  /** "CodeCarbon RAM model (20 W: 4 DIMMs guessed from 23.5 GiB)" */
  ramModelLabel: string;
  /** Why this TDP: "Intel Core i5-12400, Intel ARK (Processor Base Power)", "not in the TDP table"… */
  tdpOrigin: string;
}

/** Watts with at most one decimal: 65 → "65", 16.875 → "16.9". */
export function formatWatts(w: number): string {
  return String(Math.round(w * 10) / 10);
}

/** Resolves the TDP (flag, table with VM scaling, or 4 W per thread) and RAM term. Throws InputError on contradictory flags. */
export function resolveEstimateModel(inputs: EstimateModelInputs): EstimateModel {
  const threads = Math.max(1, Math.round(inputs.logicalCpus));
  let tdpW: number;
  let entry: CpuTdpEntry | null = null;
  let threadScale: EstimateModel['threadScale'] = null;
  let tdpText: string;
  let tdpOrigin: string;
  let tdpNotScaled: string | null = null;
  if (inputs.tdpW !== undefined) {
    // --tdp is the whole package's TDP, like the table's: a VM seeing part of a known package gets its share.
    const known = matchCpuTdp(inputs.cpuModel);
    tdpOrigin = '--tdp';
    if (known && threads !== known.threads) {
      threadScale = { visible: threads, package: known.threads };
      tdpW = (inputs.tdpW * threads) / known.threads;
      tdpText = `TDP ${formatWatts(inputs.tdpW)} W from --tdp × ${threads}/${known.threads} threads = ${formatWatts(tdpW)} W`;
    } else {
      tdpW = inputs.tdpW;
      tdpText = `TDP ${formatWatts(tdpW)} W from --tdp`;
      if (!known) {
        tdpNotScaled = `--tdp ${formatWatts(tdpW)} W is used as given, not scaled to the threads this machine sees: "${inputs.cpuModel}" is not in the TDP table, so its package's thread count is unknown (on a virtual machine, pass the TDP of your share)`;
        tdpText += ', not scaled to visible threads';
      }
    }
  } else {
    entry = matchCpuTdp(inputs.cpuModel);
    if (entry) {
      const base = entry.estimated ? `estimated TDP ${formatWatts(entry.tdpW)} W` : `TDP ${formatWatts(entry.tdpW)} W`;
      tdpOrigin = `${entry.name}, ${entry.source}`;
      if (threads !== entry.threads) {
        // A VM (or a multi-socket host) sees visible/package of the package's threads.
        threadScale = { visible: threads, package: entry.threads };
        tdpW = (entry.tdpW * threads) / entry.threads;
        tdpText = `${base} × ${threads}/${entry.threads} threads = ${formatWatts(tdpW)} W`;
      } else {
        tdpW = entry.tdpW;
        tdpText = base;
      }
    } else {
      tdpW = WATTS_PER_THREAD_FALLBACK * threads;
      tdpText = `unknown CPU: ${WATTS_PER_THREAD_FALLBACK} W × ${threads} threads = ${formatWatts(tdpW)} W`;
      tdpOrigin = `"${inputs.cpuModel}" is not in the TDP table`;
    }
  }
  let idleW = IDLE_FRACTION_OF_TDP * tdpW;
  if (inputs.idleWatts !== undefined) {
    if (inputs.idleWatts >= tdpW) {
      throw new InputError(`--idle-watts ${inputs.idleWatts} must be below the CPU's TDP (${formatWatts(tdpW)} W: ${tdpOrigin}); lower it or ${inputs.tdpW === undefined ? 'pass' : 'raise'} --tdp`);
    }
    idleW = inputs.idleWatts;
    tdpText += `, idle ${formatWatts(idleW)} W from --idle-watts`;
  }
  const gib = inputs.memoryBytes / 1024 ** 3;
  const arm = (inputs.arch ?? process.arch).startsWith('arm');
  const dimms = estimateDimmCount(gib);
  const ramW = ramPowerW(dimms, arm);
  return {
    tdpW,
    idleW,
    entry,
    threadScale,
    tdpNotScaled,
    cpuModelLabel: `CodeCarbon CPU-load model (${tdpText})`,
    ramW,
    dimms,
    ramModelLabel: `CodeCarbon RAM model (${formatWatts(ramW)} W: ${dimms} DIMM${dimms === 1 ? '' : 's'} guessed from ${formatWatts(gib)} GiB)`,
    tdpOrigin,
  };
}
