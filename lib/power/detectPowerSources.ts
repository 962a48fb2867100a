// Finds the power sources of this machine and builds the ones to use.
//
// Rule in `auto`: every measuring source that is available is used, except that battery discharge
// (whole system, slow to update) is used only when neither RAPL nor powermetrics measures the CPU,
// and the estimate only when no source measures the CPU or the system (RAPL, powermetrics, battery).
// A measured GPU beside the CPU estimate is fine and said in `notes`.
// Totals never count energy twice: when battery discharge is used it is the total and every other
// source is shown beside it; the estimate is kept out of the total when a sensor measures the CPU.
import os from 'node:os';
import { InputError } from '../errors/WattbenchError';
import { createAmdgpuSource, probeAmdgpu } from './amdgpuSource';
import { createAppleSourceFromProbe, probeApple } from './appleSource';
import { createBatterySource, probeBattery } from './batterySource';
import { formatWatts, resolveEstimateModel } from './cpuPowerModel';
import { createEstimateSource, describeEstimate, detectCpuModel } from './estimateSource';
import { createNvidiaSourceFromProbe, probeNvidia } from './nvidiaSource';
import { parseWattsOption } from './parsePowerOptions';
import { createRaplSource, probeRapl } from './raplSource';
import { resolveSysfsRoot } from './sysfsRoot';
import { POWER_SOURCE_IDS, type PowerSource, type PowerSourceId, type ProbeStatus, type SourceStatus } from './types';

export interface DetectPowerOptions {
  /** "auto" (default in the CLI) or the sources to use; an unavailable requested source is an InputError. */
  power: 'auto' | PowerSourceId[];
  /** Filesystem root holding `sys/`. Defaults to WATTBENCH_SYSFS_ROOT, else "/". */
  sysfsRoot?: string;
  /** --tdp: the CPU's TDP for the estimate, watts. Defaults to the bundled table, else 4 W per thread. */
  tdpW?: number;
  /** --idle-watts: CPU power at zero load for the estimate, watts. Defaults to 10 % of TDP. */
  idleWatts?: number;
  /** CPU model name. Defaults to os.cpus()[0].model. */
  cpuModel?: string;
  /** Logical CPUs visible. Defaults to os.availableParallelism(). */
  logicalCpus?: number;
  /** Physical memory, bytes. Defaults to os.totalmem(). */
  memoryBytes?: number;
  /** nvidia-smi executable. Defaults to WATTBENCH_NVIDIA_SMI, else "nvidia-smi" on PATH. */
  nvidiaSmiPath?: string;
  /** Loop period of nvidia-smi, ms. Defaults to 100. */
  nvidiaLoopMs?: number;
  /** powermetrics executable. Defaults to WATTBENCH_POWERMETRICS, else "powermetrics" on PATH. */
  powermetricsPath?: string;
  /** Operating system to assume (Apple probe). Defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** CPU architecture to assume (Apple probe, ARM memory). Defaults to process.arch. */
  arch?: string;
}

export interface DetectedPower {
  /** Sources to start, in the order rapl, apple, nvidia, amdgpu, battery, estimate. */
  sources: PowerSource[];
  /** One per known source, in POWER_SOURCE_IDS order. */
  statuses: SourceStatus[];
  /** Sentences for the user: what the total covers, what was ignored, what is estimated. */
  notes: string[];
}

const NAMES: Record<PowerSourceId, string> = {
  rapl: 'RAPL',
  nvidia: 'NVIDIA',
  amdgpu: 'amdgpu',
  apple: 'powermetrics',
  battery: 'battery discharge',
  estimate: 'estimate',
};

/** Probes every source, chooses per the rule above, and builds the chosen ones (not yet started). */
export async function detectPowerSources(options: DetectPowerOptions): Promise<DetectedPower> {
  const tdpW = options.tdpW === undefined ? undefined : parseWattsOption('--tdp', options.tdpW, false);
  const idleWatts = options.idleWatts === undefined ? undefined : parseWattsOption('--idle-watts', options.idleWatts, true);
  const sysfsRoot = resolveSysfsRoot(options.sysfsRoot);
  const estimateInputs = {
    cpuModel: options.cpuModel ?? detectCpuModel(),
    logicalCpus: options.logicalCpus ?? os.availableParallelism(),
    memoryBytes: options.memoryBytes ?? os.totalmem(),
    tdpW,
    idleWatts,
    arch: options.arch,
  };
  // Rejects a contradictory --idle-watts before anything starts.
  const estimateModel = resolveEstimateModel(estimateInputs);

  const [nvidia, apple] = await Promise.all([probeNvidia({ nvidiaSmiPath: options.nvidiaSmiPath }), probeApple(options)]);
  const rapl = probeRapl({ sysfsRoot });
  const amdgpu = probeAmdgpu({ sysfsRoot });
  const battery = probeBattery({ sysfsRoot });
  const probes: Record<PowerSourceId, ProbeStatus> = {
    rapl: rapl.status,
    nvidia: nvidia.status,
    amdgpu: amdgpu.status,
    apple: apple.status,
    battery: battery.status,
    estimate: { state: 'available', detail: describeEstimate(estimateModel) },
  };
  const available = (id: PowerSourceId) => probes[id].state === 'available';

  let use: Set<PowerSourceId>;
  if (options.power === 'auto') {
    use = new Set((['rapl', 'apple', 'nvidia', 'amdgpu'] as PowerSourceId[]).filter(available));
    if (available('battery') && !use.has('rapl') && !use.has('apple')) use.add('battery');
    if (!use.has('rapl') && !use.has('apple') && !use.has('battery')) use.add('estimate');
  } else {
    const missing = options.power.filter((id) => !available(id));
    if (missing.length > 0) {
      throw new InputError(
        missing
          .map((id) => `--power ${id}: ${probes[id].state === 'permission-denied' ? 'permission denied: ' : ''}${probes[id].detail}${probes[id].fix ? `; ${probes[id].fix}` : ''}`)
          .join(' | '),
      );
    }
    use = new Set(options.power);
  }

  const systemWide = use.has('battery');
  const cpuMeasured = use.has('rapl') || use.has('apple') || systemWide;
  const notes: string[] = [];
  const sources: PowerSource[] = [];
  try {
    if (use.has('rapl')) sources.push(createRaplSource({ sysfsRoot, countsTowardTotal: !systemWide }));
    if (use.has('apple')) sources.push(createAppleSourceFromProbe({ ...options, countsTowardTotal: !systemWide }));
    if (use.has('nvidia')) sources.push(createNvidiaSourceFromProbe(nvidia, { nvidiaSmiPath: options.nvidiaSmiPath, loopMs: options.nvidiaLoopMs, countsTowardTotal: !systemWide }));
    if (use.has('amdgpu')) sources.push(createAmdgpuSource({ sysfsRoot, countsTowardTotal: !systemWide }));
    if (use.has('battery')) sources.push(createBatterySource({ sysfsRoot }));
    if (use.has('estimate')) sources.push(createEstimateSource({ ...estimateInputs, countsTowardTotal: !cpuMeasured }));
  } catch (err) {
    // A source vanished between probe and creation: release the ones already built.
    await Promise.all(sources.map((s) => s.stop()));
    throw err;
  }

  if (systemWide && use.size > 1) {
    notes.push(`battery discharge covers the whole system and is the total; ${[...use].filter((id) => id !== 'battery').map((id) => NAMES[id]).join(', ')} shown beside it, not added`);
  }
  if (use.has('estimate') && cpuMeasured) notes.push('the estimate is shown beside the measured CPU power, not added to the total');
  if (use.has('estimate') && !cpuMeasured) {
    const gpus = [...use].filter((id) => id === 'nvidia' || id === 'amdgpu').map((id) => NAMES[id]);
    const why = probes.rapl.state === 'permission-denied' ? 'RAPL is unreadable' : 'no CPU power sensor is readable';
    notes.push(
      gpus.length > 0
        ? `${why}: CPU and memory energy is an estimate (${estimateModel.cpuModelLabel}) while GPU power is measured (${gpus.join(', ')}); the total mixes both`
        : `${why}: all energy figures are estimates (${estimateModel.cpuModelLabel}, ${estimateModel.ramModelLabel})`,
    );
  }
  if (!use.has('estimate') && (tdpW !== undefined || idleWatts !== undefined)) {
    notes.push(`${tdpW !== undefined ? '--tdp' : '--idle-watts'} ignored: the CPU is measured, not estimated (add --power ...,estimate to compare)`);
  }
  if (options.power === 'auto' && available('battery') && !use.has('battery')) {
    notes.push('on battery: whole-system power is available with --power battery');
  }
  if (probes.rapl.state === 'permission-denied') notes.push(`RAPL is unreadable (root only since Linux 5.10): ${probes.rapl.fix}`);
  if (use.has('estimate') && estimateModel.threadScale) {
    notes.push(`the TDP was scaled by visible threads (${estimateModel.threadScale.visible} of ${estimateModel.threadScale.package}): ${formatWatts(estimateModel.tdpW)} W`);
  }
  if (use.has('estimate') && estimateModel.tdpNotScaled) notes.push(estimateModel.tdpNotScaled);

  const statuses: SourceStatus[] = POWER_SOURCE_IDS.map((id) => ({ id, ...probes[id], used: use.has(id) }));
  return { sources, statuses, notes };
}
