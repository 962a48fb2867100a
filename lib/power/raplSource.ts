// Linux RAPL through powercap sysfs: cumulative energy counters per package and sub-zone.
// Energy is the counter delta (wrap-around through max_energy_range_uj); packages are summed,
// sub-zones (core, uncore, dram) and psys are reported beside them, never added to the total.
import fs from 'node:fs';
import path from 'node:path';
import { WattbenchError } from '../errors/WattbenchError';
import { errorMessage } from './sourceFailure';
import { createPolledSource } from './createPolledSource';
import { SysfsFile, isPermissionError, readSysfsText } from './sysfsFile';
import { resolveSysfsRoot, sysfsPath } from './sysfsRoot';
import type { EnergyBoundary, PowerDomain, PowerSource, ProbeStatus } from './types';

export interface RaplSourceOptions {
  /** Filesystem root holding `sys/class/powercap`. Defaults to WATTBENCH_SYSFS_ROOT, else "/". */
  sysfsRoot?: string;
  /**
   * False when a wider boundary (battery discharge: the whole system) already counts this energy:
   * every domain is then reported but left out of the total. Defaults to true.
   */
  countsTowardTotal?: boolean;
}

/** One powercap zone as found on disk. */
export interface RaplZone {
  /** The powercap entry, "intel-rapl:0" or "intel-rapl:0:1". */
  zone: string;
  /** Name the kernel gives it: "package-0", "core", "uncore", "dram", "psys". */
  name: string;
  /** Domain name reported in readings: the kernel name, qualified by the package for sub-zones of a multi-package machine. */
  domain: string;
  /** Directory holding energy_uj. */
  dir: string;
  /** The parent zone ("intel-rapl:0") for sub-zones, null for top-level zones. */
  parent: string | null;
  /** The counter wraps to 0 after this many µJ. */
  maxEnergyRangeUj: number;
  boundary: EnergyBoundary;
  countsTowardTotal: boolean;
  /** Why the zone is not totalled, when it is not. */
  note?: string;
}

export interface RaplProbe {
  status: ProbeStatus;
  zones: RaplZone[];
}

const ZONE_RE = /^intel-rapl:(\d+)(?::(\d+))?$/;
/** The kernel's name for powercap, where zones are listed. */
const POWERCAP_DIR = '/sys/class/powercap';

/** Finds the RAPL zones and checks that their counters can be read. Synchronous and cheap (a few small files). */
export function probeRapl(options: { sysfsRoot?: string } = {}): RaplProbe {
  const classDir = sysfsPath(resolveSysfsRoot(options.sysfsRoot), POWERCAP_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(classDir);
  } catch {
    return { status: absent(`no ${POWERCAP_DIR} (no RAPL: not an Intel or AMD Zen CPU, a virtual machine, or the intel_rapl_common module is not loaded)`), zones: [] };
  }
  const found = entries
    .map((entry) => ({ entry, m: ZONE_RE.exec(entry) }))
    .filter((e): e is { entry: string; m: RegExpExecArray } => e.m !== null)
    .map(({ entry, m }) => ({ entry, pkg: Number(m[1]), sub: m[2] === undefined ? null : Number(m[2]) }))
    .sort((a, b) => a.pkg - b.pkg || (a.sub ?? -1) - (b.sub ?? -1));
  if (found.length === 0) {
    return { status: absent(`no intel-rapl zones in ${POWERCAP_DIR} (not an Intel or AMD Zen CPU, or a virtual machine)`), zones: [] };
  }

  const zones: RaplZone[] = [];
  const denied: string[] = [];
  const unreadable: string[] = [];
  for (const { entry, sub } of found) {
    const dir = path.join(classDir, entry);
    const name = readSysfsText(path.join(dir, 'name'));
    const maxText = readSysfsText(path.join(dir, 'max_energy_range_uj'));
    const maxEnergyRangeUj = maxText === null ? NaN : Number(maxText);
    try {
      // Open and read once: the permission check since Linux 5.10 is on open (mode 0400, root only).
      const file = new SysfsFile(path.join(dir, 'energy_uj'));
      try {
        file.readUInt();
      } finally {
        file.close();
      }
    } catch (err) {
      if (isPermissionError(err)) denied.push(entry);
      else unreadable.push(`${entry} (${errorMessage(err)})`);
      continue;
    }
    if (name === null || !Number.isFinite(maxEnergyRangeUj) || maxEnergyRangeUj <= 0) {
      unreadable.push(`${entry} (missing name or max_energy_range_uj)`);
      continue;
    }
    const parent = sub === null ? null : entry.replace(/:\d+$/, '');
    zones.push({ zone: entry, name, domain: name, dir, parent, maxEnergyRangeUj, boundary: 'cpu-package', countsTowardTotal: false });
  }

  if (zones.length === 0 && denied.length > 0) {
    return {
      status: {
        state: 'permission-denied',
        detail: `${path.join(classDir, 'intel-rapl:*', 'energy_uj')} is readable by root only (Linux 5.10 and later, CVE-2020-8694)`,
        fix: `grant read access until the next reboot with \`sudo chmod o+r ${path.join(classDir, 'intel-rapl:*', 'energy_uj')}\` (a udev or systemd-tmpfiles rule makes it permanent), or run as root, or use --power estimate`,
      },
      zones: [],
    };
  }
  if (zones.length === 0) {
    return { status: { state: 'unsupported', detail: `RAPL zones present but unreadable: ${unreadable.join(', ')}` }, zones: [] };
  }
  classifyZones(zones);
  const packages = zones.filter((z) => z.parent === null);
  const subs = zones.filter((z) => z.parent !== null);
  let detail = `${packages.map((z) => z.name).join(', ')}${subs.length ? `; sub-zones ${subs.map((z) => z.domain).join(', ')}` : ''}`;
  if (denied.length) detail += `; unreadable (root only): ${denied.join(', ')}`;
  if (unreadable.length) detail += `; unreadable: ${unreadable.join(', ')}`;
  return { status: { state: 'available', detail }, zones };
}

/**
 * Sets boundary and countsTowardTotal. Packages count; a second top-level zone with a name already
 * seen (seen on multi-die AMD parts) does not; psys counts only on a machine without packages (it
 * contains them); a top-level dram zone counts (it is outside every package); sub-zones never count.
 */
function classifyZones(zones: RaplZone[]): void {
  const topLevel = zones.filter((z) => z.parent === null);
  const hasPackage = topLevel.some((z) => z.name.startsWith('package'));
  const multiPackage = topLevel.filter((z) => z.name.startsWith('package')).length > 1;
  const seen = new Map<string, string>();
  for (const z of zones) {
    if (z.parent === null) {
      if (z.name === 'psys') {
        z.boundary = 'system';
        z.countsTowardTotal = !hasPackage;
        if (hasPackage) z.note = 'psys (platform) contains the packages: reported, not totalled';
      } else if (z.name === 'dram') {
        z.boundary = 'dram';
        z.countsTowardTotal = true;
      } else {
        z.boundary = 'cpu-package';
        z.countsTowardTotal = !seen.has(z.name);
        if (!z.countsTowardTotal) z.note = `same name as ${seen.get(z.name)}: counted once`;
      }
      if (seen.has(z.name)) z.domain = `${z.name} (${z.zone})`;
      else seen.set(z.name, z.zone);
    } else {
      const parent = zones.find((p) => p.zone === z.parent);
      // The core (PP0) plane covers the cores alone, not the package's caches, memory controller or uncore.
      z.boundary = z.name === 'dram' ? 'dram' : z.name === 'psys' ? 'system' : z.name === 'core' ? 'cpu-cores' : 'cpu-package';
      z.countsTowardTotal = false;
      z.note = `sub-zone of ${parent?.name ?? z.parent}: reported, not totalled`;
      if (multiPackage) z.domain = `${parent?.name ?? z.parent}/${z.name}`;
    }
  }
}

function absent(detail: string): ProbeStatus {
  return { state: 'absent', detail };
}

interface ZoneCounter {
  zone: RaplZone;
  domain: PowerDomain;
  file: SysfsFile;
  lastUj: number;
}

/** A RAPL source over every readable zone. Throws a WattbenchError when RAPL is not readable (probe first). */
export function createRaplSource(options: RaplSourceOptions = {}): PowerSource {
  const probe = probeRapl(options);
  if (probe.status.state !== 'available') {
    throw new WattbenchError(`RAPL: ${probe.status.detail}${probe.status.fix ? `; ${probe.status.fix}` : ''}`);
  }
  const countAll = options.countsTowardTotal ?? true;
  const domains: PowerDomain[] = probe.zones.map((z) => ({
    source: 'rapl',
    domain: z.domain,
    boundary: z.boundary,
    method: 'counter',
    countsTowardTotal: countAll && z.countsTowardTotal,
    // Each read takes the counter at that instant: a read at a window boundary splits energy exactly.
    windowing: 'edges',
  }));
  return createPolledSource<ZoneCounter>({
    id: 'rapl',
    label: 'RAPL (powercap sysfs)',
    domains,
    name: 'RAPL',
    open: () =>
      probe.zones.map((zone, i) => {
        const file = new SysfsFile(path.join(zone.dir, 'energy_uj'));
        return { zone, domain: domains[i], file, lastUj: file.readUInt() };
      }),
    close: (c) => c.file.close(),
    readAll(counters, intervalMs) {
      return counters.map((c) => {
        const uj = c.file.readUInt();
        // The counter restarts from 0 after max_energy_range_uj (at most once per sample at 10 Hz:
        // the range is minutes to hours of full power).
        const deltaUj = uj >= c.lastUj ? uj - c.lastUj : c.zone.maxEnergyRangeUj - c.lastUj + uj;
        c.lastUj = uj;
        const joules = deltaUj / 1e6;
        return { ...c.domain, joules, watts: joules / (intervalMs / 1000), intervalMs };
      });
    },
  });
}
