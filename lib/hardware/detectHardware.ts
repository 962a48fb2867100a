// Static facts about this machine, recorded with every run (read once, not sampled). /proc and /sys first:
// they are what the fingerprint of existing Linux runs was made of, and they spawn nothing. systeminformation
// fills only what they leave out (macOS, Windows, a GPU without a DRM card).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GpuInfo } from '../domain/types';
import { querySystemInformation } from './querySystemInformation';

export interface HardwareFacts {
  fingerprint: string;
  hostname: string;
  cpuModel: string;
  /** Physical cores. */
  cpuCores: number;
  /** Logical CPUs. */
  cpuThreads: number;
  memoryBytes: number;
  gpus: GpuInfo[];
  os: string;
  arch: string;
}

export interface DetectHardwareOptions {
  /** Root of /proc, /sys and /etc, for tests. Defaults to "/". */
  root?: string;
  /** Longest wait for systeminformation, ms; 0 asks it nothing. Defaults to 5000. */
  systemInformationTimeoutMs?: number;
}

export async function detectHardware(options: DetectHardwareOptions = {}): Promise<HardwareFacts> {
  const root = options.root ?? '/';
  const cpuinfo = readText(path.join(root, 'proc/cpuinfo')) ?? '';
  const logical = os.cpus();
  // Node's model string is /proc/cpuinfo's on Linux; systeminformation rewrites it ("Core™ i7-1360P" for
  // "13th Gen Intel(R) Core(TM) i7-1360P"), which would move the fingerprint of machines already in a database.
  const localModel = firstField(cpuinfo, 'model name') ?? (logical[0]?.model.trim() || null);
  const localCores = countPhysicalCores(cpuinfo);
  const sysGpus = detectGpus(root);
  const prettyName = readPrettyName(root);
  const si = await querySystemInformation(
    { cpu: localModel === null || localCores === null, gpus: sysGpus.length === 0, os: prettyName === null },
    options.systemInformationTimeoutMs ?? 5000,
  );
  const cpuModel = localModel ?? si.cpuBrand ?? `unknown ${os.arch()} CPU`;
  const cpuThreads = logical.length || 1;
  // Logical CPUs only as the last resort: on a hyper-threaded machine they oversubscribe the default thread count.
  const cpuCores = localCores ?? si.physicalCores ?? cpuThreads;
  const gpus = sysGpus.length > 0 ? sysGpus : (si.gpus ?? []).length > 0 ? si.gpus! : appleSiliconGpu();
  const osName = `${prettyName ?? si.os ?? os.type()} (${os.type()} ${os.release()})`;
  const facts = {
    hostname: os.hostname(),
    cpuModel,
    cpuCores,
    cpuThreads,
    memoryBytes: os.totalmem(),
    gpus,
    os: osName,
    arch: os.arch(),
  };
  const fingerprint = crypto
    .createHash('sha256')
    .update(JSON.stringify([facts.hostname, facts.cpuModel, facts.cpuCores, facts.cpuThreads, facts.memoryBytes, facts.gpus, facts.arch]))
    .digest('hex')
    .slice(0, 32);
  return { fingerprint, ...facts };
}

/** Default thread count until a measured choice exists: physical cores minus one, at least one. */
export function defaultThreads(hw: Pick<HardwareFacts, 'cpuCores'>): number {
  return Math.max(1, hw.cpuCores - 1);
}

function countPhysicalCores(cpuinfo: string): number | null {
  const pairs = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const phys = firstField(block, 'physical id');
    const core = firstField(block, 'core id');
    if (phys !== null && core !== null) pairs.add(`${phys}:${core}`);
  }
  if (pairs.size > 0) return pairs.size;
  // Virtual machines often omit core ids: "cpu cores" per package is the next best fact.
  const perPackage = Number(firstField(cpuinfo, 'cpu cores'));
  return Number.isFinite(perPackage) && perPackage > 0 ? perPackage : null;
}

const PCI_VENDORS: Record<string, string> = { '0x10de': 'NVIDIA', '0x1002': 'AMD', '0x8086': 'Intel', '0x106b': 'Apple' };

function detectGpus(root: string): GpuInfo[] {
  const drm = path.join(root, 'sys/class/drm');
  let entries: string[];
  try {
    entries = fs.readdirSync(drm).filter((e) => /^card\d+$/.test(e));
  } catch {
    entries = [];
  }
  const gpus: GpuInfo[] = [];
  for (const card of entries) {
    const vendorId = readText(path.join(drm, card, 'device/vendor'))?.trim();
    if (!vendorId) continue;
    const vendor = PCI_VENDORS[vendorId] ?? vendorId;
    const deviceId = readText(path.join(drm, card, 'device/device'))?.trim() ?? '?';
    const vram = Number(readText(path.join(drm, card, 'device/mem_info_vram_total'))?.trim());
    gpus.push({ name: `${vendor} GPU ${deviceId} (${card})`, vendor, ...(Number.isFinite(vram) && vram > 0 ? { memoryBytes: vram } : {}) });
  }
  return gpus;
}

/** What an Apple Silicon Mac surely has when systeminformation could not name it. */
function appleSiliconGpu(): GpuInfo[] {
  return os.platform() === 'darwin' && os.arch() === 'arm64' ? [{ name: 'Apple Silicon integrated GPU', vendor: 'Apple' }] : [];
}

function readPrettyName(root: string): string | null {
  const text = readText(path.join(root, 'etc/os-release'));
  const m = text?.match(/^PRETTY_NAME="?([^"\n]*)"?$/m);
  return m ? m[1] : null;
}

function firstField(text: string, key: string): string | null {
  const m = text.match(new RegExp(`^${key}\\s*:\\s*(.*)$`, 'm'));
  return m ? m[1].trim() : null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
