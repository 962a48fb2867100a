// Apple Silicon through `powermetrics` (macOS, root only): CPU, GPU and Neural Engine power in mW
// per sample, from one long-lived process, integrated over time.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { WattbenchError } from '../errors/WattbenchError';
import { SourceFailure, exposeFailure } from './sourceFailure';
import { stopChildProcess } from './stopChildProcess';
import type { EnergyBoundary, PowerDomain, PowerReading, PowerSource, PowerTickContext, ProbeStatus } from './types';

export interface AppleSourceOptions {
  /** The powermetrics executable. Defaults to WATTBENCH_POWERMETRICS, else "powermetrics" on PATH. */
  powermetricsPath?: string;
  /** Sampling period asked of powermetrics, ms. Defaults to 100. */
  intervalMs?: number;
  /** Operating system to assume. Defaults to process.platform (tests pass "darwin"). */
  platform?: NodeJS.Platform;
  /** CPU architecture to assume. Defaults to process.arch. */
  arch?: string;
  /** A domain whose latest line is older than this is a gap, ms. Defaults to 2000. */
  staleAfterMs?: number;
  /** False when a wider boundary (battery: the whole system) already counts this energy. Defaults to true. */
  countsTowardTotal?: boolean;
}

export interface AppleProbe {
  status: ProbeStatus;
}

const LINE_RE = /^(CPU|GPU|ANE) Power:\s*([\d.]+)\s*mW/;
const DOMAINS: Array<{ key: string; domain: string; boundary: EnergyBoundary }> = [
  { key: 'CPU', domain: 'cpu', boundary: 'cpu-package' },
  // Apple's GPU is on the SoC; "gpu-board" is the closest of the four boundaries.
  { key: 'GPU', domain: 'gpu', boundary: 'gpu-board' },
  { key: 'ANE', domain: 'ane', boundary: 'cpu-package' },
];

export function resolvePowermetricsPath(explicit?: string): string {
  return explicit ?? process.env.WATTBENCH_POWERMETRICS ?? 'powermetrics';
}

function args(intervalMs: number, count?: number): string[] {
  return ['--samplers', 'cpu_power,gpu_power', '-i', String(intervalMs), '-f', 'text', ...(count ? ['-n', String(count)] : [])];
}

/** Checks that this is an Apple Silicon Mac and that powermetrics runs (it needs root). */
export async function probeApple(options: AppleSourceOptions = {}): Promise<AppleProbe> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  if (platform !== 'darwin') return { status: { state: 'unsupported', detail: `Apple Silicon only (powermetrics on macOS); this is ${platform}` } };
  if (arch !== 'arm64') return { status: { state: 'unsupported', detail: `Apple Silicon only; this Mac is ${arch}` } };
  const pm = resolvePowermetricsPath(options.powermetricsPath);
  const res = await new Promise<{ code: number | null; out: string; notFound: boolean }>((resolve) => {
    execFile(pm, args(100, 1), { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as NodeJS.ErrnoException | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out: stdout + stderr, notFound: e?.code === 'ENOENT' });
    });
  });
  if (res.notFound) return { status: { state: 'absent', detail: `${pm} not found` } };
  if (/superuser|must be run as root|permission/i.test(res.out)) {
    return {
      status: {
        state: 'permission-denied',
        detail: 'powermetrics must be run as root',
        fix: 'run wattbench with sudo (powermetrics reads the SoC energy counters as root only), or use --power estimate',
      },
    };
  }
  if (res.code !== 0 || !LINE_RE.test(res.out.split('\n').find((l) => LINE_RE.test(l)) ?? '')) {
    return { status: { state: 'unsupported', detail: `powermetrics gave no CPU power (exit ${res.code}): ${res.out.trim().split('\n')[0] ?? ''}` } };
  }
  return { status: { state: 'available', detail: 'powermetrics cpu_power,gpu_power (CPU, GPU, ANE)' } };
}

interface DomainState {
  domain: PowerDomain;
  lastLineMs: number | null;
  lastWatts: number;
  sum: number;
  count: number;
  lastReadMs: number;
}

/** An Apple Silicon source. Probes first; throws a WattbenchError when powermetrics cannot run. */
export async function createAppleSource(options: AppleSourceOptions = {}): Promise<PowerSource> {
  const probe = await probeApple(options);
  if (probe.status.state !== 'available') throw new WattbenchError(`apple: ${probe.status.detail}${probe.status.fix ? `; ${probe.status.fix}` : ''}`);
  return createAppleSourceFromProbe(options);
}

/** The source once probed (detection probes once and reuses the answer). */
export function createAppleSourceFromProbe(options: AppleSourceOptions = {}): PowerSource {
  const pm = resolvePowermetricsPath(options.powermetricsPath);
  const intervalMs = options.intervalMs ?? 100;
  const staleAfterMs = options.staleAfterMs ?? 2000;
  const counts = options.countsTowardTotal ?? true;
  const states = new Map<string, DomainState>();
  const domains: PowerDomain[] = DOMAINS.map((d) => {
    const domain: PowerDomain = { source: 'apple', domain: d.domain, boundary: d.boundary, method: 'integrated-power', countsTowardTotal: counts };
    states.set(d.key, { domain, lastLineMs: null, lastWatts: 0, sum: 0, count: 0, lastReadMs: 0 });
    return domain;
  });
  const failure = new SourceFailure();
  let child: ChildProcess | null = null;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();

  return exposeFailure(failure, {
    id: 'apple',
    label: 'Apple powermetrics',
    domains,
    async start(ctx: PowerTickContext) {
      const proc = spawn(pm, args(intervalMs), { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      exited = new Promise((resolve) => proc.once('close', () => resolve()));
      proc.once('error', (err) => failure.mark(`powermetrics could not run: ${err.message}`, Date.now()));
      proc.once('exit', (code, signal) => {
        if (!stopping) failure.mark(`powermetrics exited (${signal ?? `code ${code}`}); Apple readings stop at ${new Date().toISOString()}`, Date.now());
      });
      readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
        const m = LINE_RE.exec(line.trim());
        const st = m ? states.get(m[1]) : undefined;
        if (!m || !st) return;
        const watts = Number(m[2]) / 1000;
        st.lastLineMs = Date.now();
        st.lastWatts = watts;
        st.sum += watts;
        st.count += 1;
      });
      proc.stderr!.resume();
      for (const st of states.values()) st.lastReadMs = ctx.nowMs;
    },
    read(ctx: PowerTickContext): PowerReading[] {
      if (failure.failed) return [];
      const now = Date.now();
      const readings: PowerReading[] = [];
      for (const st of states.values()) {
        const dt = ctx.nowMs - st.lastReadMs;
        if (dt <= 0) continue;
        const watts = st.count > 0 ? st.sum / st.count : st.lastWatts;
        const fresh = st.lastLineMs !== null && now - st.lastLineMs <= staleAfterMs;
        st.lastReadMs = ctx.nowMs;
        st.sum = 0;
        st.count = 0;
        if (fresh) readings.push({ ...st.domain, watts, joules: (watts * dt) / 1000, intervalMs: dt });
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
