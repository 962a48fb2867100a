// The background sampler: CPU utilisation, memory, tokens so far and power, at 10 Hz by default.
import { ProcFile, parseCpuTimes, cpuUtilisation, parseKbField, procPath, type CpuTimes } from './procReaders';
import type { PowerReading, PowerSource } from '../power/types';

export type SamplePhase = 'idle' | 'load' | 'warmup' | 'measure' | 'done';

export interface SampleRecord {
  /** Epoch ms. */
  t: number;
  phase: SamplePhase;
  promptIndex: number | null;
  /** Whole-machine CPU utilisation since the previous sample, 0–100 %. */
  cpuPercent: number | null;
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
}

export interface SamplerOptions {
  /** Interval between samples, ms. Defaults to 100 (10 Hz). */
  intervalMs?: number;
  /** Root holding proc/, for tests. Defaults to "/". */
  root?: string;
  /** Read at every tick: what the benchmark is doing now. */
  getState: () => SamplerState;
  /** Power sources already started; read at every tick. Defaults to none. */
  powerSources?: PowerSource[];
}

export interface Sampler {
  start(): void;
  /** Takes a last sample and stops the timer. */
  stop(): void;
  /** Samples taken since the previous drain (for batched writes). */
  drain(): SampleRecord[];
  /** Every sample of the run, kept for energy accounting. */
  readonly all: readonly SampleRecord[];
  /** Milliseconds spent inside ticks: the sampler's own cost (synchronous reads only). */
  readonly busyMs: number;
  /** Highest resident set size of this process (VmHWM), bytes. */
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

  const tick = (): void => {
    const t0 = performance.now();
    const nowMs = Date.now();
    const cpu = parseCpuTimes(statFile.read() ?? '');
    const util = cpu && prevCpu ? cpuUtilisation(prevCpu, cpu) : null;
    if (cpu) prevCpu = cpu;
    const meminfo = meminfoFile.read() ?? '';
    const total = parseKbField(meminfo, 'MemTotal');
    const available = parseKbField(meminfo, 'MemAvailable');
    const rss = parseKbField(statusFile.read() ?? '', 'VmRSS');
    const power: PowerReading[] = [];
    for (const source of sources) {
      if (source.failed) continue;
      try {
        power.push(...source.read({ nowMs, cpuUtilisation: util ?? 0 }));
      } catch {
        // A source that throws is the source's failure, never the run's: it reports `failed` itself.
      }
    }
    const counted = power.filter((p) => p.countsTowardTotal);
    const state = options.getState();
    const sample: SampleRecord = {
      t: nowMs,
      phase: state.phase,
      promptIndex: state.promptIndex,
      cpuPercent: util === null ? null : util * 100,
      rssBytes: rss,
      memUsedBytes: total !== null && available !== null ? total - available : null,
      tokensGenerated: state.tokensGenerated,
      powerW: counted.length ? counted.reduce((a, p) => a + p.watts, 0) : null,
      power,
    };
    all.push(sample);
    pending.push(sample);
    busyMs += performance.now() - t0;
  };

  return {
    start() {
      if (timer) return;
      prevCpu = parseCpuTimes(statFile.read() ?? '');
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
    drain() {
      const out = pending;
      pending = [];
      return out;
    },
    get all() {
      return all;
    },
    get busyMs() {
      return busyMs;
    },
    peakRssBytes() {
      const v = parseKbField(statusFile.read() ?? '', 'VmHWM');
      return v;
    },
  };
}
