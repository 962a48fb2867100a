// Laptops on battery: the battery's discharge power is the whole system's power (display, SSD,
// CPU, GPU…). Only meaningful while discharging; power_now (µW), else current_now (µA) × voltage_now (µV).
import fs from 'node:fs';
import path from 'node:path';
import { WattbenchError } from '../errors/WattbenchError';
import { createPolledSource } from './createPolledSource';
import { SysfsFile, readSysfsText } from './sysfsFile';
import { resolveSysfsRoot, sysfsPath } from './sysfsRoot';
import type { PowerDomain, PowerReading, PowerSource, ProbeStatus } from './types';

export interface BatterySourceOptions {
  /** Filesystem root holding `sys/class/power_supply`. Defaults to WATTBENCH_SYSFS_ROOT, else "/". */
  sysfsRoot?: string;
}

export interface BatteryInfo {
  /** "BAT0" */
  name: string;
  dir: string;
  /** Whether power_now exists; otherwise current_now × voltage_now. */
  hasPowerNow: boolean;
}

export interface BatteryProbe {
  status: ProbeStatus;
  batteries: BatteryInfo[];
}

const SUPPLY_DIR = '/sys/class/power_supply';

/** Finds system batteries (not a mouse's: scope "Device") that are discharging now. */
export function probeBattery(options: { sysfsRoot?: string } = {}): BatteryProbe {
  const dir = sysfsPath(resolveSysfsRoot(options.sysfsRoot), SUPPLY_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch {
    return { status: { state: 'absent', detail: `no ${SUPPLY_DIR}` }, batteries: [] };
  }
  const discharging: BatteryInfo[] = [];
  const others: string[] = [];
  for (const name of entries) {
    const d = path.join(dir, name);
    if (readSysfsText(path.join(d, 'type')) !== 'Battery' || readSysfsText(path.join(d, 'scope')) === 'Device') continue;
    const status = readSysfsText(path.join(d, 'status')) ?? 'Unknown';
    const hasPowerNow = fs.existsSync(path.join(d, 'power_now'));
    const hasCurrent = fs.existsSync(path.join(d, 'current_now')) && fs.existsSync(path.join(d, 'voltage_now'));
    if (!hasPowerNow && !hasCurrent) {
      others.push(`${name} (no power_now or current_now)`);
      continue;
    }
    if (status !== 'Discharging') {
      others.push(`${name} is ${status}`);
      continue;
    }
    discharging.push({ name, dir: d, hasPowerNow });
  }
  if (discharging.length > 0) {
    return { status: { state: 'available', detail: `${discharging.map((b) => b.name).join(', ')} discharging (whole-system power)` }, batteries: discharging };
  }
  if (others.length > 0) {
    return {
      status: { state: 'unsupported', detail: `${others.join(', ')}: battery power covers the system only while discharging`, fix: 'unplug the charger to measure whole-system power from the battery' },
      batteries: [],
    };
  }
  return { status: { state: 'absent', detail: 'no battery' }, batteries: [] };
}

interface BatteryReader {
  info: BatteryInfo;
  domain: PowerDomain;
  status: SysfsFile;
  power: SysfsFile | null;
  current: SysfsFile | null;
  voltage: SysfsFile | null;
}

/** A battery-discharge source over every discharging battery. Throws a WattbenchError when none is discharging. */
export function createBatterySource(options: BatterySourceOptions = {}): PowerSource {
  const probe = probeBattery(options);
  if (probe.status.state !== 'available') throw new WattbenchError(`battery: ${probe.status.detail}`);
  const domains: PowerDomain[] = probe.batteries.map((b) => ({ source: 'battery', domain: b.name, boundary: 'system', method: 'integrated-power', countsTowardTotal: true }));
  return createPolledSource<BatteryReader>({
    id: 'battery',
    label: 'battery discharge',
    domains,
    name: 'battery',
    open: () =>
      probe.batteries.map((info, i) => ({
        info,
        domain: domains[i],
        status: new SysfsFile(path.join(info.dir, 'status')),
        power: info.hasPowerNow ? new SysfsFile(path.join(info.dir, 'power_now')) : null,
        current: info.hasPowerNow ? null : new SysfsFile(path.join(info.dir, 'current_now')),
        voltage: info.hasPowerNow ? null : new SysfsFile(path.join(info.dir, 'voltage_now')),
      })),
    close: (r) => {
      for (const f of [r.status, r.power, r.current, r.voltage]) f?.close();
    },
    readAll(readers, intervalMs, fail) {
      const readings: PowerReading[] = [];
      for (const r of readers) {
        const status = r.status.readText();
        if (status !== 'Discharging') {
          fail(`${r.info.name} stopped discharging (${status}): the charger was plugged in`);
          return [];
        }
        const watts = r.power ? Math.abs(r.power.readInt()) / 1e6 : (Math.abs(r.current!.readInt()) * Math.abs(r.voltage!.readInt())) / 1e12;
        readings.push({ ...r.domain, watts, joules: (watts * intervalMs) / 1000, intervalMs });
      }
      return readings;
    },
  });
}
