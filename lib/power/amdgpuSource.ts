// AMD GPUs through the amdgpu driver's hwmon: board power in microwatts (power1_average, or
// power1_input on parts that only report instantaneous power), integrated over time.
import fs from 'node:fs';
import path from 'node:path';
import { WattbenchError } from '../errors/WattbenchError';
import { createPolledSource } from './createPolledSource';
import { SysfsFile, isPermissionError, readSysfsText } from './sysfsFile';
import { resolveSysfsRoot, sysfsPath } from './sysfsRoot';
import type { PowerDomain, PowerSource, ProbeStatus } from './types';

export interface AmdgpuSourceOptions {
  /** Filesystem root holding `sys/class/drm`. Defaults to WATTBENCH_SYSFS_ROOT, else "/". */
  sysfsRoot?: string;
  /** False when a wider boundary (battery: the whole system) already counts this energy. Defaults to true. */
  countsTowardTotal?: boolean;
}

export interface AmdgpuCard {
  /** "card0" */
  card: string;
  /** The power file, power1_average or power1_input (µW). */
  powerFile: string;
  /** gpu_busy_percent, when the driver has it. */
  busyFile: string | null;
  /** mem_info_vram_used (bytes), when the driver has it. */
  vramUsedFile: string | null;
}

export interface AmdgpuProbe {
  status: ProbeStatus;
  cards: AmdgpuCard[];
}

const DRM_DIR = '/sys/class/drm';

/** Finds amdgpu cards whose hwmon reports power. */
export function probeAmdgpu(options: { sysfsRoot?: string } = {}): AmdgpuProbe {
  const drmDir = sysfsPath(resolveSysfsRoot(options.sysfsRoot), DRM_DIR);
  let entries: string[];
  try {
    // Only cardN: cardN-DP-1 and friends are connectors.
    entries = fs.readdirSync(drmDir).filter((e) => /^card\d+$/.test(e)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  } catch {
    return { status: { state: 'absent', detail: `no ${DRM_DIR} (no GPU driver loaded)` }, cards: [] };
  }
  const cards: AmdgpuCard[] = [];
  const denied: string[] = [];
  for (const card of entries) {
    const device = path.join(drmDir, card, 'device');
    let hwmons: string[];
    try {
      hwmons = fs.readdirSync(path.join(device, 'hwmon')).filter((h) => /^hwmon\d+$/.test(h));
    } catch {
      continue;
    }
    for (const hwmon of hwmons) {
      const dir = path.join(device, 'hwmon', hwmon);
      if (readSysfsText(path.join(dir, 'name')) !== 'amdgpu') continue;
      const powerFile = ['power1_average', 'power1_input'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
      if (!powerFile) continue;
      try {
        const f = new SysfsFile(powerFile);
        try {
          f.readUInt();
        } finally {
          f.close();
        }
      } catch (err) {
        if (isPermissionError(err)) denied.push(powerFile);
        continue;
      }
      const optional = (name: string) => (fs.existsSync(path.join(device, name)) ? path.join(device, name) : null);
      cards.push({ card, powerFile, busyFile: optional('gpu_busy_percent'), vramUsedFile: optional('mem_info_vram_used') });
      break;
    }
  }
  if (cards.length === 0 && denied.length > 0) {
    return {
      status: { state: 'permission-denied', detail: `${denied.join(', ')} cannot be read`, fix: `grant read access with \`sudo chmod o+r ${denied.join(' ')}\`, or run as root` },
      cards: [],
    };
  }
  if (cards.length === 0) return { status: { state: 'absent', detail: 'no amdgpu card with a hwmon power reading' }, cards: [] };
  const detail = cards.map((c) => `${c.card} (${path.basename(c.powerFile)})`).join(', ');
  return { status: { state: 'available', detail }, cards };
}

interface CardReader {
  card: AmdgpuCard;
  domain: PowerDomain;
  power: SysfsFile;
  busy: SysfsFile | null;
  vram: SysfsFile | null;
}

/** An amdgpu source over every card that reports power. Throws a WattbenchError when there is none. */
export function createAmdgpuSource(options: AmdgpuSourceOptions = {}): PowerSource {
  const probe = probeAmdgpu(options);
  if (probe.status.state !== 'available') throw new WattbenchError(`amdgpu: ${probe.status.detail}`);
  const counts = options.countsTowardTotal ?? true;
  const domains: PowerDomain[] = probe.cards.map((c) => ({ source: 'amdgpu', domain: c.card, boundary: 'gpu-board', method: 'integrated-power', countsTowardTotal: counts }));
  const openOptional = (file: string | null): SysfsFile | null => {
    if (!file) return null;
    try {
      return new SysfsFile(file);
    } catch {
      return null;
    }
  };
  const readOptional = (f: SysfsFile | null): number | undefined => {
    if (!f) return undefined;
    try {
      return f.readUInt();
    } catch {
      return undefined;
    }
  };

  return createPolledSource<CardReader>({
    id: 'amdgpu',
    label: 'amdgpu hwmon',
    domains,
    name: 'amdgpu',
    open: () =>
      probe.cards.map((card, i) => ({ card, domain: domains[i], power: new SysfsFile(card.powerFile), busy: openOptional(card.busyFile), vram: openOptional(card.vramUsedFile) })),
    close: (r) => {
      r.power.close();
      r.busy?.close();
      r.vram?.close();
    },
    readAll(readers, intervalMs) {
      return readers.map((r) => {
        // The driver's value is already an average over its own window: hold it over the interval.
        const watts = r.power.readUInt() / 1e6;
        const busy = readOptional(r.busy);
        const vram = readOptional(r.vram);
        return {
          ...r.domain,
          watts,
          joules: (watts * intervalMs) / 1000,
          intervalMs,
          ...(busy !== undefined ? { utilisation: busy / 100 } : {}),
          ...(vram !== undefined ? { memoryUsedBytes: vram } : {}),
        };
      });
    },
  });
}
