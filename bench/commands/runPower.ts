// Power sources for `wattbench run`: detection from the flags, and warnings worth acting on.
import type { HardwareFacts } from '../../lib/hardware/detectHardware';
import type { PowerSource, PowerSourceId } from '../../lib/power/types';
import { detectPowerSources } from '../../lib/power/detectPowerSources';
import { resolveEstimateModel } from '../../lib/power/cpuPowerModel';

export interface RunPower {
  sources: PowerSource[];
  /** Sensors that need a permission, with the fix: worth saying before the run starts. */
  warnings: string[];
  /** What the total covers, what is estimated: said with the results. */
  notes: string[];
}

/**
 * Rejects a contradictory --tdp / --idle-watts (idle at or above the TDP this machine would use) with exit 2,
 * before the model is resolved or the database opened; setupPower checks the same again, later.
 */
export function checkPowerFlags(opts: { tdp?: number; idleWatts?: number }, hw: HardwareFacts): void {
  if (opts.tdp === undefined && opts.idleWatts === undefined) return;
  resolveEstimateModel({ cpuModel: hw.cpuModel, logicalCpus: hw.cpuThreads, memoryBytes: hw.memoryBytes, tdpW: opts.tdp, idleWatts: opts.idleWatts });
}

export async function setupPower(opts: { power: 'auto' | PowerSourceId[]; tdp?: number; idleWatts?: number }, hw: HardwareFacts): Promise<RunPower> {
  const detected = await detectPowerSources({
    power: opts.power,
    tdpW: opts.tdp,
    idleWatts: opts.idleWatts,
    cpuModel: hw.cpuModel,
    logicalCpus: hw.cpuThreads,
    memoryBytes: hw.memoryBytes,
  });
  const warnings = detected.statuses
    .filter((s) => s.state === 'permission-denied')
    .map((s) => `${s.id}: ${s.detail}${s.fix ? `; ${s.fix}` : ''}`);
  return { sources: detected.sources, warnings, notes: detected.notes };
}
