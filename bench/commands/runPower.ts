// Power sources for `wattbench run`: detection from the flags, and the energy lines of the summary.
import type { HardwareFacts } from '../../lib/hardware/detectHardware';
import type { PowerSource } from '../../lib/power/types';
import type { RunRecord } from '../../lib/records/getRunRecord';

export interface RunPower {
  sources: PowerSource[];
  warnings: string[];
  formatEnergy(record: RunRecord): string[];
}

export async function setupPower(_opts: { power: string; tdp?: number; idleWatts?: number }, _hw: HardwareFacts): Promise<RunPower> {
  return { sources: [], warnings: [], formatEnergy: () => [] };
}
