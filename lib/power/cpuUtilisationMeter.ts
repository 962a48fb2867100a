// Whole-machine CPU utilisation between two calls, from the first line of /proc/stat
// (utilisation = 1 − Δidle/Δtotal, idle including iowait); os.cpus() times where /proc is absent.
import fs from 'node:fs';
import { osCpuTimes, type OsCpuTimes } from './osCpuTimes';

export interface CpuUtilisationMeter {
  /** Utilisation since the previous call (or since creation), 0–1. */
  sample(): number;
  close(): void;
}

/** A meter over `statPath` (default /proc/stat), kept open and re-read from offset 0. */
export function createCpuUtilisationMeter(statPath = '/proc/stat'): CpuUtilisationMeter {
  let fd: number | null = null;
  try {
    fd = fs.openSync(statPath, 'r');
  } catch {
    fd = null;
  }
  const buf = Buffer.alloc(512);
  const read = (): OsCpuTimes => {
    if (fd === null) return osCpuTimes();
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const line = buf.toString('latin1', 0, n).split('\n', 1)[0];
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest is inside user.
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { idle: (v[3] ?? 0) + (v[4] ?? 0), total: v.reduce((s, x) => s + (Number.isFinite(x) ? x : 0), 0) };
  };
  let prev = read();
  return {
    sample() {
      const cur = read();
      const dTotal = cur.total - prev.total;
      const dIdle = cur.idle - prev.idle;
      prev = cur;
      if (dTotal <= 0) return 0;
      return Math.min(1, Math.max(0, 1 - dIdle / dTotal));
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
