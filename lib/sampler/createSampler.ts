// The background sampler: CPU utilisation (the machine's and this process's own), memory, tokens so far
// and power, at 10 Hz by default, plus ticks on demand at window boundaries (mark).
import os from 'node:os';
import { ProcFile, parseCpuTimes, cpuUtilisation, parseKbField, procPath, processCpuUs, type CpuTimes } from './procReaders';
import type { PowerReading, PowerSource } from '../power/types';
import { osCpuTimes } from '../power/osCpuTimes';

/** In the order a run goes through them: loading, idle power, warm-ups, measured repetitions, the last tick. */
export type SamplePhase = 'load' | 'idle' | 'warmup' | 'measure' | 'done';

export interface SampleRecord {
  /** Epoch ms. */
  t: number;
  phase: SamplePhase;
  promptIndex: number | null;
  /** Whole-machine CPU utilisation since the previous timed sample, 0–100 % (null at marks: see Sampler.mark). */
  cpuPercent: number | null;
  /** This process's CPU time since the previous sample, as a share of the machine's capacity, 0–100 %. */
  processCpuPercent: number | null;
  rssBytes: number | null;
  memUsedBytes: number | null;
  tokensGenerated: number;
  /** Sum of the domains that count toward the total, W; null without power readings. */
  powerW: number | null;
  power: PowerReading[];
}

export interface SamplerState {
  phase: SamplePhase;
  promptIndex: number | null;
  tokensGenerated: number;
  /** Tokens of a generation still running in native code, not yet counted in tokensGenerated. */
  pendingTokens?: (() => number) | null;
}

/** Another process (or set of processes) whose CPU time and memory the samples record instead of this one's. */
export interface WatchedProcess {
  /** CPU time of the watched processes so far (all threads), µs; null when unreadable. */
  cpuTimeUs(): number | null;
  /** Their resident memory now, bytes; null when unreadable or none is left. */
  rssBytes(): number | null;
}

export interface SamplerOptions {
  /** Interval between samples, ms. Defaults to 100 (10 Hz). */
  intervalMs?: number;
  /** Root holding proc/, for tests. Defaults to "/". Files absent there fall back to Node's own figures. */
  root?: string;
  /** Read at every tick: what the benchmark is doing now. */
  getState: () => SamplerState;
  /** Power sources already started; read at every tick. Defaults to none. */
  powerSources?: PowerSource[];
  /** Logical CPUs counted by /proc/stat, the capacity process CPU time is a share of. Defaults to os.cpus().length. */
  logicalCpus?: number;
  /**
   * Other processes doing the benchmark's work (a local server: `run --endpoint`): their CPU time is added to
   * this process's in `processCpuPercent` and in the estimate's attribution. Read from /proc/<pid>/stat (Linux).
   */
  workerPids?: readonly number[];
  /**
   * Whose CPU time and RSS the samples record (and the estimate's CPU load is attributed by): undefined,
   * this process (a benchmark); a WatchedProcess (`wattbench monitor --pid/--process`); null, none
   * (`monitor` of the whole machine: the estimate then follows the machine's load).
   */
  process?: WatchedProcess | null;
}

export interface Sampler {
  start(): void;
  /** Takes a last sample and stops the timer. */
  stop(): void;
  /**
   * Takes a sample now, stamped `epochMs` (a window boundary the caller took from Date.now() just before),
   * so that counters are read at the boundary itself and the boundary is a tick time. Reads the power
   * sources and this process's CPU time only: /proc/stat counts in 10 ms jiffies, too coarse for the
   * few ms between a boundary and the previous tick, so the next timed sample covers both (cpuPercent null
   * here). No-op before start, after stop, and when the latest sample is at or after `epochMs` (the
   * boundary already is a tick time).
   */
  mark(epochMs: number): void;
  /** Samples taken since the previous drain or flush (for batched writes). */
  drain(): SampleRecord[];
  /**
   * Hands the samples taken since the previous flush to `write` and forgets them once it returns. When
   * `write` throws (a full disk), they stay pending for the next flush and the error is rethrown: a failed
   * write loses no sample.
   */
  flush(write: (batch: readonly SampleRecord[]) => void): void;
  /** Every sample of the run, kept for energy accounting. */
  readonly all: readonly SampleRecord[];
  /** Milliseconds spent inside ticks: the sampler's own cost (synchronous reads only). */
  readonly busyMs: number;
  /** Highest resident set size of this process (VmHWM; ru_maxrss where /proc is absent), bytes; of a watched process, the highest sampled. */
  peakRssBytes(): number | null;
}

export function createSampler(options: SamplerOptions): Sampler {
  const intervalMs = options.intervalMs ?? 100;
  const root = options.root ?? '/';
  const statFile = new ProcFile(procPath(root, 'stat'), 8192);
  const meminfoFile = new ProcFile(procPath(root, 'meminfo'), 8192);
  const statusFile = new ProcFile(procPath(root, 'self', 'status'), 8192);
  const sources = options.powerSources ?? [];
  const all: SampleRecord[] = [];
  let pending: SampleRecord[] = [];
  let prevCpu: CpuTimes | null = null;
  let timer: NodeJS.Timeout | null = null;
  let busyMs = 0;

  const logicalCpus = Math.max(1, options.logicalCpus ?? os.cpus().length);
  let prevProcess: { wallMs: number; cpuUs: number; workersUs: number } | null = null;
  let lastMeasuredUtil: number | null = null;
  let prev: SampleRecord | null = null;

  // Where a /proc file is absent (macOS, Windows) Node's own figures stand in: no child processes either way.
  const readCpu = (): CpuTimes | null => {
    const stat = statFile.read();
    return stat === null ? osCpuTimes() : parseCpuTimes(stat);
  };
  const readMemUsed = (): number | null => {
    const meminfo = meminfoFile.read();
    if (meminfo === null) return os.totalmem() - os.freemem();
    const total = parseKbField(meminfo, 'MemTotal');
    const available = parseKbField(meminfo, 'MemAvailable');
    return total !== null && available !== null ? total - available : null;
  };
  const watched = options.process;
  let peakWatchedRss: number | null = null;
  const readRss = (): number | null => {
    if (watched !== undefined) {
      const rss = watched?.rssBytes() ?? null;
      if (rss !== null) peakWatchedRss = Math.max(peakWatchedRss ?? 0, rss);
      return rss;
    }
    const status = statusFile.read();
    return status === null ? process.memoryUsage.rss() : parseKbField(status, 'VmRSS');
  };

  // Per worker process, its CPU time at the previous sample: a process that disappears adds nothing from then on.
  const workerPids = options.workerPids ?? [];
  const workerCpu = new Map<number, number>();
  const workersDeltaUs = (): number => {
    let delta = 0;
    for (const pid of workerPids) {
      const us = processCpuUs(root, pid);
      const before = workerCpu.get(pid);
      if (us === null) workerCpu.delete(pid);
      else {
        if (before !== undefined && us >= before) delta += us - before;
        workerCpu.set(pid, us);
      }
    }
    return delta;
  };

  /**
   * This process's CPU time since the previous sample (plus its worker processes'), 0–1 of the machine
   * (process.cpuUsage: all threads, µs).
   */
  const processShare = (nowMs: number): number | null => {
    if (watched === null) return null;
    let ownUs: number;
    if (watched !== undefined) {
      const us = watched.cpuTimeUs();
      if (us === null) return null;
      ownUs = us;
    } else {
      const u = process.cpuUsage();
      ownUs = u.user + u.system;
    }
    const workersUs = workersDeltaUs();
    const before = prevProcess;
    const cpuUs = ownUs + (before?.workersUs ?? 0) + workersUs;
    prevProcess = { wallMs: nowMs, cpuUs, workersUs: (before?.workersUs ?? 0) + workersUs };
    if (!before || nowMs <= before.wallMs) return null;
    return Math.min(1, Math.max(0, (cpuUs - before.cpuUs) / ((nowMs - before.wallMs) * 1000 * logicalCpus)));
  };

  const readPower = (nowMs: number, util: number, processUtil: number | null): PowerReading[] => {
    const power: PowerReading[] = [];
    const ctx = { nowMs, cpuUtilisation: util, ...(processUtil !== null ? { processCpuUtilisation: processUtil } : {}) };
    for (const source of sources) {
      if (source.failed) continue;
      try {
        power.push(...source.read(ctx));
      } catch {
        // A source that throws is the source's failure, never the run's: it reports `failed` itself.
      }
    }
    return power;
  };

  const record = (sample: SampleRecord, t0: number): void => {
    all.push(sample);
    pending.push(sample);
    prev = sample;
    busyMs += performance.now() - t0;
  };

  const sumCounted = (power: PowerReading[]): number | null => {
    const counted = power.filter((p) => p.countsTowardTotal);
    return counted.length ? counted.reduce((a, p) => a + p.watts, 0) : null;
  };

  const tick = (): void => {
    const t0 = performance.now();
    const nowMs = Date.now();
    // A mark took this very millisecond (or a boundary a moment ahead of the clock): the next tick covers it.
    if (prev !== null && nowMs <= prev.t) return;
    const cpu = readCpu();
    // /proc/stat counts whole jiffies: a tick in the same jiffy as the previous one (the stop tick, a late
    // timer) sees no time pass, and the kernel's accounting cannot tell it from the interval it falls in, so
    // it takes that interval's utilisation. Null only before any interval was measured.
    const measured = cpu && prevCpu ? cpuUtilisation(prevCpu, cpu) : null;
    const util = measured ?? (cpu && prevCpu ? lastMeasuredUtil : null);
    if (cpu) prevCpu = cpu;
    if (measured !== null) lastMeasuredUtil = measured;
    const processUtil = processShare(nowMs);
    const memUsed = readMemUsed();
    const rss = readRss();
    const power = readPower(nowMs, util ?? 0, processUtil);
    const state = options.getState();
    record(
      {
        t: nowMs,
        phase: state.phase,
        promptIndex: state.promptIndex,
        cpuPercent: util === null ? null : util * 100,
        processCpuPercent: processUtil === null ? null : processUtil * 100,
        rssBytes: rss,
        memUsedBytes: memUsed,
        tokensGenerated: state.tokensGenerated + (state.pendingTokens?.() ?? 0),
        powerW: sumCounted(power),
        power,
      },
      t0,
    );
  };

  const mark = (epochMs: number): void => {
    if (!timer || (prev !== null && prev.t >= epochMs)) return;
    const t0 = performance.now();
    const processUtil = processShare(epochMs);
    // The machine's load over these few ms is unknown until the next timed sample: the latest one stands in.
    const power = readPower(epochMs, lastMeasuredUtil ?? 0, processUtil);
    const state = options.getState();
    record(
      {
        t: epochMs,
        phase: state.phase,
        promptIndex: state.promptIndex,
        cpuPercent: null,
        processCpuPercent: processUtil === null ? null : processUtil * 100,
        rssBytes: prev?.rssBytes ?? null,
        memUsedBytes: prev?.memUsedBytes ?? null,
        tokensGenerated: state.tokensGenerated + (state.pendingTokens?.() ?? 0),
        powerW: sumCounted(power),
        power,
      },
      t0,
    );
  };

  return {
    start() {
      if (timer) return;
      prevCpu = readCpu();
      processShare(Date.now());
      timer = setInterval(tick, intervalMs);
      // The sampler must never keep a finished process alive.
      timer.unref();
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = null;
      tick();
      statFile.close();
      meminfoFile.close();
    },
    mark,
    drain() {
      const out = pending;
      pending = [];
      return out;
    },
    flush(write) {
      if (pending.length === 0) return;
      // Synchronous (better-sqlite3): no tick can land between the write and the reset.
      write(pending);
      pending = [];
    },
    get all() {
      return all;
    },
    get busyMs() {
      return busyMs;
    },
    peakRssBytes() {
      if (watched !== undefined) return peakWatchedRss;
      const status = statusFile.read();
      // ru_maxrss is in kilobytes on every platform Node runs on.
      return status === null ? process.resourceUsage().maxRSS * 1024 : parseKbField(status, 'VmHWM');
    },
  };
}
