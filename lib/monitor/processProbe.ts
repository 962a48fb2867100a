// The watched processes of a monitor run, read from /proc/<pid>/stat and /proc/<pid>/status (Linux): their
// CPU time and resident memory summed, and which are still alive. Files stay open (lib/sampler/procReaders),
// so a read is cheap enough for the 10 Hz sampler, and an open /proc/<pid> file keeps naming its process:
// once that process is gone its reads fail, even if the pid is reused.
import { ProcFile, parseKbField, procPath } from '../sampler/procReaders';
import type { WatchedProcess } from '../sampler/createSampler';

/** USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat line, µs; the state (field 3). The name (field 2) may hold spaces and parentheses. */
export function parsePidStat(stat: string): { cpuUs: number; state: string } | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return { cpuUs: ((utime + stime) * 1e6) / CLOCK_TICKS_PER_SECOND, state: fields[0] ?? '' };
}

export interface ProcessProbe extends WatchedProcess {
  /** The watched pids still running (an exited process, zombie or gone, is not). */
  alive(): number[];
  close(): void;
}

interface Watched {
  pid: number;
  stat: ProcFile;
  status: ProcFile;
  /** The last CPU time read, µs: an exited process keeps it, so the sum never goes back. */
  cpuUs: number;
  alive: boolean;
}

export function createProcessProbe(pids: readonly number[], root = '/'): ProcessProbe {
  const watched: Watched[] = pids.map((pid) => ({
    pid,
    stat: new ProcFile(procPath(root, String(pid), 'stat'), 1024),
    status: new ProcFile(procPath(root, String(pid), 'status'), 4096),
    cpuUs: 0,
    alive: true,
  }));
  const refresh = (w: Watched): void => {
    if (!w.alive) return;
    const text = w.stat.read();
    const parsed = text === null ? null : parsePidStat(text);
    if (parsed === null || parsed.state === 'Z' || parsed.state === 'X') {
      w.alive = false;
      return;
    }
    w.cpuUs = parsed.cpuUs;
  };
  for (const w of watched) refresh(w);
  return {
    cpuTimeUs() {
      for (const w of watched) refresh(w);
      return watched.reduce((sum, w) => sum + w.cpuUs, 0);
    },
    rssBytes() {
      let sum: number | null = null;
      for (const w of watched) {
        if (!w.alive) continue;
        const text = w.status.read();
        const rss = text === null ? null : parseKbField(text, 'VmRSS');
        if (rss !== null) sum = (sum ?? 0) + rss;
      }
      return sum;
    },
    alive() {
      for (const w of watched) refresh(w);
      return watched.filter((w) => w.alive).map((w) => w.pid);
    },
    close() {
      for (const w of watched) {
        w.stat.close();
        w.status.close();
      }
    },
  };
}
