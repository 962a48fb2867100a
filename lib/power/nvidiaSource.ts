// NVIDIA GPUs through nvidia-smi: one long-lived process in loop mode (`-lms`), never a spawn per
// sample. Per GPU: board power, utilisation, memory, and the driver's energy counter
// (total_energy_consumption, mJ) where this nvidia-smi exposes it, else power integrated over time.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { WattbenchError } from '../errors/WattbenchError';
import { SourceFailure, exposeFailure } from './sourceFailure';
import { stopChildProcess } from './stopChildProcess';
import type { PowerDomain, PowerReading, PowerSource, PowerTickContext, ProbeStatus } from './types';

export interface NvidiaSourceOptions {
  /** The nvidia-smi executable, a path or a name looked up on PATH. Defaults to WATTBENCH_NVIDIA_SMI, else "nvidia-smi". */
  nvidiaSmiPath?: string;
  /** Period of nvidia-smi's loop mode, ms. Defaults to 100 (the sampler's 10 Hz). */
  loopMs?: number;
  /** A GPU whose latest line is older than this is a gap rather than a reading, ms. Defaults to 2000. */
  staleAfterMs?: number;
  /** How long start() waits for the first line of every GPU (the counter baseline), ms. Defaults to 5000. */
  firstLineTimeoutMs?: number;
  /** False when a wider boundary (battery: the whole system) already counts this energy. Defaults to true. */
  countsTowardTotal?: boolean;
}

export interface NvidiaGpu {
  index: number;
  name: string;
}

export interface NvidiaProbe {
  status: ProbeStatus;
  gpus: NvidiaGpu[];
  /** True when every GPU reports total_energy_consumption (NVML's counter, Volta and newer). */
  energyCounter: boolean;
}

const BASE_FIELDS = ['index', 'name', 'power.draw', 'memory.used', 'utilization.gpu'] as const;
const ENERGY_FIELD = 'total_energy_consumption';

/** The nvidia-smi to run: the option, else WATTBENCH_NVIDIA_SMI, else "nvidia-smi" on PATH. */
export function resolveNvidiaSmiPath(explicit?: string): string {
  return explicit ?? process.env.WATTBENCH_NVIDIA_SMI ?? 'nvidia-smi';
}

function queryArgs(withEnergy: boolean): string[] {
  const fields = withEnergy ? [...BASE_FIELDS, ENERGY_FIELD] : [...BASE_FIELDS];
  return [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'];
}

interface GpuLine {
  index: number;
  name: string;
  /** null: "[N/A]" or "[Not Supported]". */
  watts: number | null;
  memoryMiB: number | null;
  utilisationPct: number | null;
  energyMj: number | null;
}

/** Parses one `--format=csv,noheader,nounits` line; null for anything else (warnings, blank lines). */
export function parseNvidiaSmiLine(line: string, withEnergy: boolean): GpuLine | null {
  const parts = line.split(',').map((p) => p.trim());
  const tail = withEnergy ? 4 : 3;
  if (parts.length < 2 + tail || !/^\d+$/.test(parts[0])) return null;
  const num = (s: string): number | null => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null);
  const t = parts.length - tail;
  return {
    index: Number(parts[0]),
    name: parts.slice(1, t).join(', '),
    watts: num(parts[t]),
    memoryMiB: num(parts[t + 1]),
    utilisationPct: num(parts[t + 2]),
    energyMj: withEnergy ? num(parts[t + 3]) : null,
  };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  notFound: boolean;
  error?: string;
}

function run(file: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : null;
      const errno = err && typeof (err as NodeJS.ErrnoException).code === 'string' ? (err as NodeJS.ErrnoException).code : undefined;
      resolve({ code, stdout, stderr, notFound: errno === 'ENOENT', error: err?.message });
    });
  });
}

/** Runs nvidia-smi once to list GPUs and find out whether it exposes the energy counter. */
export async function probeNvidia(options: { nvidiaSmiPath?: string } = {}): Promise<NvidiaProbe> {
  const smi = resolveNvidiaSmiPath(options.nvidiaSmiPath);
  let withEnergy = true;
  let res = await run(smi, queryArgs(true), 10_000);
  if (res.notFound) {
    return {
      status: { state: 'absent', detail: `${smi} not found${smi.includes('/') ? '' : ' on PATH'} (no NVIDIA driver; WATTBENCH_NVIDIA_SMI names it if it is elsewhere)` },
      gpus: [],
      energyCounter: false,
    };
  }
  if (res.code !== 0 && /not a valid field/i.test(res.stdout + res.stderr)) {
    // Older drivers do not know the energy field: integrate power instead.
    withEnergy = false;
    res = await run(smi, queryArgs(false), 10_000);
  }
  const firstLine = (s: string) => s.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  if (res.code !== 0) {
    const why = firstLine(res.stdout) || firstLine(res.stderr) || res.error || `exit code ${res.code}`;
    return { status: { state: 'absent', detail: `nvidia-smi found but reports no usable GPU: ${why}` }, gpus: [], energyCounter: false };
  }
  const lines = res.stdout.split('\n').map((l) => parseNvidiaSmiLine(l, withEnergy)).filter((l): l is GpuLine => l !== null);
  if (lines.length === 0) {
    return { status: { state: 'absent', detail: `nvidia-smi lists no GPU: ${firstLine(res.stdout) || 'empty output'}` }, gpus: [], energyCounter: false };
  }
  const withPower = lines.filter((l) => l.watts !== null);
  if (withPower.length === 0) {
    return { status: { state: 'unsupported', detail: `${lines.map((l) => `GPU ${l.index} (${l.name})`).join(', ')}: power.draw is not supported` }, gpus: [], energyCounter: false };
  }
  const energyCounter = withEnergy && withPower.every((l) => l.energyMj !== null);
  const skipped = lines.filter((l) => l.watts === null);
  const detail =
    withPower.map((l) => `gpu${l.index} ${l.name}`).join(', ') +
    (energyCounter ? ' (energy counter)' : ' (power integrated over time: no energy counter)') +
    (skipped.length ? `; without power reading: ${skipped.map((l) => `gpu${l.index}`).join(', ')}` : '');
  return { status: { state: 'available', detail }, gpus: withPower.map((l) => ({ index: l.index, name: l.name })), energyCounter };
}

interface GpuState {
  gpu: NvidiaGpu;
  domain: PowerDomain;
  lastLineMs: number | null;
  lastWatts: number;
  wattsSum: number;
  wattsCount: number;
  lastEnergyMj: number | null;
  /** The counter extrapolated to the previous read's time, mJ. */
  counterAtReadMj: number | null;
  utilisation?: number;
  memoryUsedBytes?: number;
  lastReadMs: number;
}

/**
 * An NVIDIA source over the GPUs that report power. Probes first (runs nvidia-smi once); throws a
 * WattbenchError when none is usable.
 */
export async function createNvidiaSource(options: NvidiaSourceOptions = {}): Promise<PowerSource> {
  const probe = await probeNvidia(options);
  if (probe.status.state !== 'available') throw new WattbenchError(`NVIDIA: ${probe.status.detail}`);
  return createNvidiaSourceFromProbe(probe, options);
}

/** The source for GPUs already probed (detection probes once and reuses the answer). */
export function createNvidiaSourceFromProbe(probe: NvidiaProbe, options: NvidiaSourceOptions = {}): PowerSource {
  const smi = resolveNvidiaSmiPath(options.nvidiaSmiPath);
  const loopMs = options.loopMs ?? 100;
  const staleAfterMs = options.staleAfterMs ?? 2000;
  const firstLineTimeoutMs = options.firstLineTimeoutMs ?? 5000;
  const counts = options.countsTowardTotal ?? true;
  const withEnergy = probe.energyCounter;
  const method = withEnergy ? 'counter' : 'integrated-power';
  const states = new Map<number, GpuState>();
  const domains: PowerDomain[] = probe.gpus.map((gpu) => {
    const domain: PowerDomain = { source: 'nvidia', domain: `gpu${gpu.index}`, boundary: 'gpu-board', method, countsTowardTotal: counts };
    states.set(gpu.index, { gpu, domain, lastLineMs: null, lastWatts: 0, wattsSum: 0, wattsCount: 0, lastEnergyMj: null, counterAtReadMj: null, lastReadMs: 0 });
    return domain;
  });
  const failure = new SourceFailure();
  let child: ChildProcess | null = null;
  let stopping = false;
  let lastMessage = '';
  let exited: Promise<void> = Promise.resolve();
  const names = [...new Set(probe.gpus.map((g) => g.name))].join(', ');

  /**
   * The energy counter at time `ms`, extrapolated from the latest line at its power (W × ms = mJ):
   * lines arrive every loopMs, out of step with the sampler, and a read must cover exactly its own
   * interval. Backwards as well, for the baseline at start() (before the first line arrived).
   */
  const counterAt = (st: GpuState, ms: number): number | null => {
    if (st.lastEnergyMj === null || st.lastLineMs === null) return null;
    const ahead = Math.min(ms - st.lastLineMs, staleAfterMs);
    return st.lastEnergyMj + st.lastWatts * ahead;
  };

  const onLine = (text: string) => {
    const line = parseNvidiaSmiLine(text, withEnergy);
    if (!line) {
      // nvidia-smi reports errors ("GPU is lost") on stdout: keep the last one for the failure note.
      if (text.trim()) lastMessage = text.trim();
      return;
    }
    const st = states.get(line.index);
    if (!st || line.watts === null) return;
    st.lastLineMs = Date.now();
    st.lastWatts = line.watts;
    st.wattsSum += line.watts;
    st.wattsCount += 1;
    if (line.energyMj !== null) st.lastEnergyMj = line.energyMj;
    st.utilisation = line.utilisationPct === null ? undefined : line.utilisationPct / 100;
    st.memoryUsedBytes = line.memoryMiB === null ? undefined : line.memoryMiB * 1024 * 1024;
  };

  return exposeFailure(failure, {
    id: 'nvidia',
    label: `NVIDIA nvidia-smi (${names})`,
    domains,
    async start(ctx: PowerTickContext) {
      const proc = spawn(smi, [...queryArgs(withEnergy), `-lms`, String(loopMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      exited = new Promise((resolve) => proc.once('close', () => resolve()));
      proc.once('error', (err) => failure.mark(`nvidia-smi could not run: ${err.message}`, Date.now()));
      proc.once('exit', (code, signal) => {
        if (stopping) return;
        const why = lastMessage ? `: ${lastMessage}` : '';
        failure.mark(`nvidia-smi exited (${signal ?? `code ${code}`})${why}; GPU readings stop at ${new Date().toISOString()}`, Date.now());
      });
      readline.createInterface({ input: proc.stdout! }).on('line', onLine);
      readline.createInterface({ input: proc.stderr! }).on('line', (l) => {
        if (l.trim()) lastMessage = l.trim();
      });
      // Wait for the first line of every GPU: it sets the counter baseline.
      const deadline = Date.now() + firstLineTimeoutMs;
      while (!failure.failed && [...states.values()].some((s) => s.lastLineMs === null)) {
        if (Date.now() > deadline) {
          failure.mark(`nvidia-smi printed no reading within ${firstLineTimeoutMs} ms`, Date.now());
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      for (const st of states.values()) {
        st.lastReadMs = ctx.nowMs;
        st.counterAtReadMj = counterAt(st, ctx.nowMs);
        st.wattsSum = 0;
        st.wattsCount = 0;
      }
    },
    read(ctx: PowerTickContext): PowerReading[] {
      if (failure.failed) return [];
      const now = Date.now();
      const readings: PowerReading[] = [];
      for (const st of states.values()) {
        const intervalMs = ctx.nowMs - st.lastReadMs;
        if (intervalMs <= 0) continue;
        const fresh = st.lastLineMs !== null && now - st.lastLineMs <= staleAfterMs;
        // Mean of the driver's lines since the last read; the latest one when none arrived in between.
        let watts = st.wattsCount > 0 ? st.wattsSum / st.wattsCount : st.lastWatts;
        let joules = (watts * intervalMs) / 1000;
        if (withEnergy) {
          const counter = counterAt(st, ctx.nowMs);
          const prev = st.counterAtReadMj;
          if (counter !== null && prev !== null && counter >= prev - 1000) {
            // Never backwards: an extrapolation that overshot is absorbed by the next interval.
            const now = Math.max(counter, prev);
            joules = (now - prev) / 1000;
            watts = joules / (intervalMs / 1000);
            st.counterAtReadMj = now;
          } else {
            // No baseline yet, or the counter restarted (driver reload): integrate this interval.
            st.counterAtReadMj = counter;
          }
        }
        st.lastReadMs = ctx.nowMs;
        st.wattsSum = 0;
        st.wattsCount = 0;
        if (!fresh) continue; // a gap: nvidia-smi stopped printing this GPU
        readings.push({
          ...st.domain,
          watts,
          joules,
          intervalMs,
          ...(st.utilisation !== undefined ? { utilisation: st.utilisation } : {}),
          ...(st.memoryUsedBytes !== undefined ? { memoryUsedBytes: st.memoryUsedBytes } : {}),
        });
      }
      return readings;
    },
    async stop() {
      const proc = child;
      if (!proc || stopping) return;
      stopping = true;
      await stopChildProcess(proc, exited);
    },
  });
}
