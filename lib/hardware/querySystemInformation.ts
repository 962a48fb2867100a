// systeminformation, for the static facts /proc and /sys cannot give (macOS, Windows, GPUs without a DRM
// card). Once per run, never from the sampler: some of its calls spawn lscpu, lspci, nvidia-smi,
// system_profiler or PowerShell, so every call is bounded by one deadline and a failure only leaves a gap.
import si from 'systeminformation';
import type { GpuInfo } from '../domain/types';

export interface SystemInformationNeeds {
  cpu: boolean;
  gpus: boolean;
  os: boolean;
}

/** What systeminformation told within the deadline; null where it was not asked, failed or ran late. */
export interface SystemInformation {
  cpuBrand: string | null;
  physicalCores: number | null;
  gpus: GpuInfo[] | null;
  os: string | null;
}

export async function querySystemInformation(needs: SystemInformationNeeds, timeoutMs: number): Promise<SystemInformation> {
  const none: SystemInformation = { cpuBrand: null, physicalCores: null, gpus: null, os: null };
  if (timeoutMs <= 0) return none;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
    // A tool that hangs must not keep the process alive either.
    timer.unref();
  });
  const bounded = <T>(ask: boolean, call: () => Promise<T>): Promise<T | null> =>
    ask ? Promise.race([call().catch(() => null), deadline]) : Promise.resolve(null);
  const [cpu, graphics, osInfo] = await Promise.all([
    bounded(needs.cpu, () => si.cpu()),
    bounded(needs.gpus, () => si.graphics()),
    bounded(needs.os, () => si.osInfo()),
  ]);
  clearTimeout(timer);
  const brand = cpu ? joinKnown(cpu.manufacturer, cpu.brand) : '';
  const osName = osInfo ? joinKnown(osInfo.distro, osInfo.release) : '';
  return {
    cpuBrand: brand || null,
    physicalCores: cpu && Number.isInteger(cpu.physicalCores) && cpu.physicalCores > 0 ? cpu.physicalCores : null,
    gpus: graphics ? graphics.controllers.filter((c) => c.model || c.name).map(toGpuInfo) : null,
    os: osName || null,
  };
}

/** systeminformation says "unknown" (or nothing) where a tool was missing. */
function joinKnown(...parts: string[]): string {
  return parts.map((p) => p?.trim() ?? '').filter((p) => p && p.toLowerCase() !== 'unknown').join(' ');
}

function toGpuInfo(c: si.Systeminformation.GraphicsControllerData): GpuInfo {
  const name = (c.name || c.model).trim();
  // vram is MB; "dynamic" memory is borrowed from system RAM (integrated GPUs), not the GPU's own.
  const memoryBytes = c.vram && c.vram > 0 && !c.vramDynamic ? c.vram * 1024 * 1024 : null;
  return { name, vendor: shortVendor(c.vendor || name), ...(memoryBytes !== null ? { memoryBytes } : {}) };
}

/** The short vendor names the /sys reader uses, from strings like "Advanced Micro Devices, Inc. [AMD/ATI]". */
function shortVendor(vendor: string): string {
  if (/nvidia/i.test(vendor)) return 'NVIDIA';
  if (/\bamd\b|advanced micro|\bati\b/i.test(vendor)) return 'AMD';
  if (/intel/i.test(vendor)) return 'Intel';
  if (/apple/i.test(vendor)) return 'Apple';
  return vendor.trim() || 'unknown';
}
