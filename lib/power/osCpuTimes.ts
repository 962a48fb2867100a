// Whole-machine CPU times summed over os.cpus(): Node's own figures, for where /proc/stat is absent
// (macOS, Windows). No child processes, so it is fit for the 10 Hz sampler.
import os from 'node:os';

export interface OsCpuTimes {
  idle: number;
  total: number;
}

/** Idle and total CPU time of all logical CPUs so far, ms. */
export function osCpuTimes(): OsCpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.idle + c.times.user + c.times.nice + c.times.sys + c.times.irq;
  }
  return { idle, total };
}
