// Builds fixture sysfs trees as the kernel lays them out: devices under /sys/devices, the class
// directories made of relative symlinks, one value per file ending in "\n", energy_uj mode 0400
// (root only since Linux 5.10). Only the tests use it: it reproduces the kernel, not our code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'power');

/** A fresh temporary folder, traversable by other users (a child dropped to "nobody" must reach it). */
export function makeFixtureRoot(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wattbench-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

function file(p: string, value: string, mode = 0o444): void {
  fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
  fs.writeFileSync(p, value);
  fs.chmodSync(p, mode);
}

function link(target: string, at: string): void {
  fs.mkdirSync(path.dirname(at), { recursive: true, mode: 0o755 });
  fs.symlinkSync(target, at);
}

export interface RaplZoneSpec {
  /** "package-0", "core", "uncore", "dram", "psys" */
  name: string;
  energyUj: number;
  /** Defaults to 262143328850, the value on Intel client and server parts. */
  maxEnergyRangeUj?: number;
  subZones?: RaplZoneSpec[];
}

function writeZone(dir: string, zone: RaplZoneSpec, depth: number): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  file(path.join(dir, 'name'), `${zone.name}\n`);
  file(path.join(dir, 'energy_uj'), `${zone.energyUj}\n`, 0o400);
  file(path.join(dir, 'max_energy_range_uj'), `${zone.maxEnergyRangeUj ?? 262143328850}\n`);
  file(path.join(dir, 'enabled'), '1\n', 0o644);
  file(path.join(dir, 'constraint_0_name'), 'long_term\n');
  file(path.join(dir, 'constraint_0_power_limit_uw'), '65000000\n', 0o644);
  file(path.join(dir, 'constraint_0_time_window_us'), '27983872\n', 0o644);
  file(path.join(dir, 'constraint_0_max_power_uw'), '65000000\n');
  if (depth === 0) {
    file(path.join(dir, 'constraint_1_name'), 'short_term\n');
    file(path.join(dir, 'constraint_1_power_limit_uw'), '121000000\n', 0o644);
    file(path.join(dir, 'constraint_1_time_window_us'), '2440\n', 0o644);
    file(path.join(dir, 'constraint_1_max_power_uw'), '0\n');
  }
  file(path.join(dir, 'uevent'), '', 0o644);
  file(path.join(dir, 'power', 'control'), 'auto\n', 0o644);
  file(path.join(dir, 'power', 'runtime_status'), 'unsupported\n');
  // subsystem -> /sys/class/powercap, relative as the kernel writes it.
  link(`${'../'.repeat(5 + depth)}class/powercap`, path.join(dir, 'subsystem'));
}

/**
 * /sys/devices/virtual/powercap/intel-rapl/intel-rapl:N[/intel-rapl:N:M] and the
 * /sys/class/powercap symlinks to them. Returns the energy_uj path of every zone by zone id.
 */
export function buildRaplTree(root: string, packages: RaplZoneSpec[]): Record<string, string> {
  const control = path.join(root, 'sys/devices/virtual/powercap/intel-rapl');
  const classDir = path.join(root, 'sys/class/powercap');
  file(path.join(control, 'enabled'), '1\n', 0o644);
  file(path.join(control, 'uevent'), '', 0o644);
  link('../../devices/virtual/powercap/intel-rapl', path.join(classDir, 'intel-rapl'));
  const files: Record<string, string> = {};
  packages.forEach((pkg, n) => {
    const id = `intel-rapl:${n}`;
    const dir = path.join(control, id);
    writeZone(dir, pkg, 0);
    link(`../../devices/virtual/powercap/intel-rapl/${id}`, path.join(classDir, id));
    files[id] = path.join(dir, 'energy_uj');
    (pkg.subZones ?? []).forEach((sub, m) => {
      const subId = `${id}:${m}`;
      writeZone(path.join(dir, subId), sub, 1);
      link(`../../devices/virtual/powercap/intel-rapl/${id}/${subId}`, path.join(classDir, subId));
      files[subId] = path.join(dir, subId, 'energy_uj');
    });
  });
  return files;
}

/** Rewrites a counter in place, as the kernel's value changes under an open file (text: a corrupt value). */
export function writeCounter(filePath: string, uj: number | string): void {
  const fd = fs.openSync(filePath, 'r+');
  try {
    const text = Buffer.from(`${uj}\n`);
    fs.writeSync(fd, text, 0, text.length, 0);
    fs.ftruncateSync(fd, text.length);
  } finally {
    fs.closeSync(fd);
  }
}

export interface CounterSpec {
  file: string;
  watts: number;
  startUj: number;
  maxUj: number;
  /** Power stepping through `watts`, one value per `everyMs` from the writer's start, cycled (`watts` is then unused). */
  steps?: { watts: number[]; everyMs: number };
}

/** A started writer: the process, and the epoch ms (fractional) its counters started from. */
export type CounterWriter = ChildProcess & { startedAtMs: number };

/** Starts tests/fixtures/power/raplCounterWriter.mjs; resolves once its first values are written. */
export async function startCounterWriter(counters: CounterSpec[], periodMs = 2): Promise<CounterWriter> {
  const child = spawn(process.execPath, [path.join(FIXTURES_DIR, 'raplCounterWriter.mjs'), JSON.stringify({ periodMs, counters })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const startedAtMs = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`counter writer exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line.split(' ')[1])));
  });
  return Object.assign(child, { startedAtMs });
}

/** ∫P dt of a writer's counter from its start to `elapsedMs` later, joules (the writer's own formula). */
export function counterJoules(spec: Pick<CounterSpec, 'watts' | 'steps'>, elapsedMs: number): number {
  if (!spec.steps) return (spec.watts * elapsedMs) / 1000;
  const { watts, everyMs } = spec.steps;
  let j = 0;
  let rest = Math.max(0, elapsedMs);
  const cycleMs = everyMs * watts.length;
  const cycles = Math.floor(rest / cycleMs);
  j += (cycles * watts.reduce((a, w) => a + w, 0) * everyMs) / 1000;
  rest -= cycles * cycleMs;
  for (const w of watts) {
    const part = Math.min(rest, everyMs);
    j += (w * part) / 1000;
    rest -= part;
    if (rest <= 0) break;
  }
  return j;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface AmdgpuCardSpec {
  powerAverageUw?: number;
  powerInputUw?: number;
  busyPercent?: number;
  vramUsedBytes?: number;
}

/**
 * /sys/devices/pci0000:00/0000:00:03.1/0000:0N:00.0/{drm/cardN, hwmon/hwmonM} with the class
 * symlinks /sys/class/drm/cardN and a connector cardN-DP-1, plus /sys/class/drm/version.
 */
export function buildAmdgpuTree(root: string, cards: AmdgpuCardSpec[]): void {
  file(path.join(root, 'sys/class/drm/version'), 'drm 1.1.0 20060810\n');
  cards.forEach((card, n) => {
    const pci = `0000:${(n + 10).toString(16).padStart(2, '0')}:00.0`;
    const device = path.join(root, 'sys/devices/pci0000:00/0000:00:03.1', pci);
    file(path.join(device, 'vendor'), '0x1002\n');
    file(path.join(device, 'device'), '0x73bf\n');
    if (card.busyPercent !== undefined) file(path.join(device, 'gpu_busy_percent'), `${card.busyPercent}\n`);
    if (card.vramUsedBytes !== undefined) file(path.join(device, 'mem_info_vram_used'), `${card.vramUsedBytes}\n`);
    const hwmon = path.join(device, 'hwmon', `hwmon${n + 3}`);
    file(path.join(hwmon, 'name'), 'amdgpu\n');
    file(path.join(hwmon, 'temp1_input'), '45000\n');
    if (card.powerAverageUw !== undefined) file(path.join(hwmon, 'power1_average'), `${card.powerAverageUw}\n`);
    if (card.powerInputUw !== undefined) file(path.join(hwmon, 'power1_input'), `${card.powerInputUw}\n`);
    file(path.join(hwmon, 'power1_cap'), '255000000\n', 0o644);
    const drm = path.join(device, 'drm', `card${n}`);
    fs.mkdirSync(drm, { recursive: true, mode: 0o755 });
    link('../../../' + pci, path.join(drm, 'device'));
    fs.mkdirSync(path.join(drm, `card${n}-DP-1`), { recursive: true });
    link(`../../devices/pci0000:00/0000:00:03.1/${pci}/drm/card${n}`, path.join(root, 'sys/class/drm', `card${n}`));
    link(`../../devices/pci0000:00/0000:00:03.1/${pci}/drm/card${n}/card${n}-DP-1`, path.join(root, 'sys/class/drm', `card${n}-DP-1`));
  });
}

export interface BatterySpec {
  name: string;
  status: 'Discharging' | 'Charging' | 'Full' | 'Not charging';
  powerNowUw?: number;
  currentNowUa?: number;
  voltageNowUv?: number;
  /** "Device" for a peripheral's battery (a mouse), absent for the system battery. */
  scope?: string;
}

/** /sys/class/power_supply/{BATn, AC, …} as symlinks into the ACPI device tree. */
export function buildBatteryTree(root: string, batteries: BatterySpec[], acOnline = false): Record<string, string> {
  const classDir = path.join(root, 'sys/class/power_supply');
  const ac = path.join(root, 'sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0003:00/power_supply/AC');
  file(path.join(ac, 'type'), 'Mains\n');
  file(path.join(ac, 'online'), `${acOnline ? 1 : 0}\n`);
  link('../../devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0003:00/power_supply/AC', path.join(classDir, 'AC'));
  const statusFiles: Record<string, string> = {};
  batteries.forEach((b, n) => {
    const rel = b.scope === 'Device' ? `devices/pci0000:00/0000:00:14.0/usb1/1-2/power_supply/${b.name}` : `devices/LNXSYSTM:00/LNXSYBUS:00/PNP0C0A:0${n}/power_supply/${b.name}`;
    const dir = path.join(root, 'sys', rel);
    file(path.join(dir, 'type'), 'Battery\n');
    file(path.join(dir, 'status'), `${b.status}\n`);
    file(path.join(dir, 'present'), '1\n');
    file(path.join(dir, 'technology'), 'Li-poly\n');
    file(path.join(dir, 'capacity'), '87\n');
    if (b.scope) file(path.join(dir, 'scope'), `${b.scope}\n`);
    if (b.powerNowUw !== undefined) file(path.join(dir, 'power_now'), `${b.powerNowUw}\n`);
    if (b.currentNowUa !== undefined) file(path.join(dir, 'current_now'), `${b.currentNowUa}\n`);
    if (b.voltageNowUv !== undefined) file(path.join(dir, 'voltage_now'), `${b.voltageNowUv}\n`);
    link(`../../${rel}`, path.join(classDir, b.name));
    statusFiles[b.name] = path.join(dir, 'status');
  });
  return statusFiles;
}

/** Replaces a sysfs text value (status changes when the charger is plugged in). */
export function setValue(filePath: string, value: string): void {
  fs.chmodSync(filePath, 0o644);
  fs.writeFileSync(filePath, value);
  fs.chmodSync(filePath, 0o444);
}
