// Identifies a live process by pid plus its start time, so a reused pid is not mistaken for the original.
import fs from 'node:fs';

interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), X (dead), … */
  state: string;
  /** Field 22: start time in clock ticks since boot. */
  startTicks: string | null;
}

function readProcStat(pid: number): ProcStat | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing paren.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', startTicks: rest[19] ?? null };
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot; null where /proc is missing. */
export function processStartTicks(pid: number): string | null {
  return readProcStat(pid)?.startTicks ?? null;
}

/** When this machine booted (epoch ms, from /proc/stat's btime); null where /proc is missing. */
export function bootTimeMs(): number | null {
  try {
    const match = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * True while the process runs. A zombie (exited, not yet reaped by its parent) counts as dead: it will never
 * write again, yet `kill(pid, 0)` still succeeds on it.
 */
export function isProcessAlive(pid: number, startTicks: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  if (stat === null) return true; // no /proc (macOS): kill(0) is all we know
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTicks === null || stat.startTicks === null || stat.startTicks === startTicks;
}
