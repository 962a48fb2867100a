// Cheap readers of /proc: files stay open and are re-read from offset 0 (no child processes, no allocation storms).
import fs from 'node:fs';
import path from 'node:path';

/** Re-reads one small pseudo-file through a kept file descriptor. */
export class ProcFile {
  private fd: number | null;
  private readonly buf: Buffer;
  constructor(file: string, bufferBytes = 4096) {
    this.buf = Buffer.alloc(bufferBytes);
    try {
      this.fd = fs.openSync(file, 'r');
    } catch {
      this.fd = null;
    }
  }
  read(): string | null {
    if (this.fd === null) return null;
    try {
      const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
      return this.buf.toString('latin1', 0, n);
    } catch {
      return null;
    }
  }
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

export interface CpuTimes {
  idle: number;
  total: number;
}

/** First line of /proc/stat: "cpu user nice system idle iowait irq softirq steal guest guest_nice" (jiffies). */
export function parseCpuTimes(stat: string): CpuTimes | null {
  const line = stat.slice(0, stat.indexOf('\n'));
  if (!line.startsWith('cpu ')) return null;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  // guest time is already counted in user, so only the first eight fields add up to the total.
  const total = v.reduce((a, b) => a + b, 0);
  const idle = v[3] + (v[4] ?? 0);
  return { idle, total };
}

/** Utilisation 0–1 between two readings; null when no time passed. */
export function cpuUtilisation(prev: CpuTimes, next: CpuTimes): number | null {
  const dTotal = next.total - prev.total;
  if (dTotal <= 0) return null;
  return Math.min(1, Math.max(0, 1 - (next.idle - prev.idle) / dTotal));
}

/** A "Key:   123 kB" field of /proc/meminfo or /proc/self/status, in bytes. */
export function parseKbField(text: string, key: string): number | null {
  const i = text.indexOf(`${key}:`);
  if (i < 0) return null;
  const m = /^\s*(\d+)\s*kB/.exec(text.slice(i + key.length + 1, i + key.length + 40));
  return m ? Number(m[1]) * 1024 : null;
}

export function procPath(root: string, ...parts: string[]): string {
  return path.join(root, 'proc', ...parts);
}

/**
 * CPU time of another process, µs, from /proc/<pid>/stat (utime + stime, fields 14 and 15, after the command
 * name in parentheses, which may hold spaces). Counted in USER_HZ ticks, 100 per second on every Linux
 * architecture Node runs on. Null when the process is gone or unreadable.
 */
export function processCpuUs(root: string, pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(procPath(root, String(pid), 'stat'), 'latin1');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3): utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10_000 : null;
}
