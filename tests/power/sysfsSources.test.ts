// amdgpu hwmon and battery discharge against fixture sysfs trees, and Apple powermetrics against a
// fixture executable: exact arithmetic on known values, states and mid-run failures.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAmdgpuSource, probeAmdgpu } from '../../lib/power/amdgpuSource';
import { createAppleSource, probeApple } from '../../lib/power/appleSource';
import { createBatterySource, probeBattery } from '../../lib/power/batterySource';
import { waitFor } from '../helpers/waitFor';
import { FIXTURES_DIR, buildAmdgpuTree, buildBatteryTree, makeFixtureRoot, setValue } from './helpers/sysfsFixture';

const roots: string[] = [];
function root(prefix: string): string {
  const r = makeFixtureRoot(prefix);
  roots.push(r);
  return r;
}
const savedPath = process.env.PATH;
beforeAll(() => {
  process.env.PATH = `${FIXTURES_DIR}${path.delimiter}${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});
const ctx = (nowMs: number) => ({ nowMs, cpuUtilisation: 0 });

describe('amdgpu', () => {
  it('reads power1_average (µW) per card, skips connectors, prefers power1_input only where it is alone', async () => {
    const r = root('amdgpu');
    buildAmdgpuTree(r, [{ powerAverageUw: 35_000_000, busyPercent: 12, vramUsedBytes: 2_147_483_648 }, { powerInputUw: 120_500_000 }]);
    const probe = probeAmdgpu({ sysfsRoot: r });
    expect(probe.status).toEqual({ state: 'available', detail: 'card0 (power1_average), card1 (power1_input)' });
    const source = createAmdgpuSource({ sysfsRoot: r });
    await source.start(ctx(0));
    const readings = source.read(ctx(250));
    expect(readings).toEqual([
      { source: 'amdgpu', domain: 'card0', boundary: 'gpu-board', method: 'integrated-power', countsTowardTotal: true, watts: 35, joules: 8.75, intervalMs: 250, utilisation: 0.12, memoryUsedBytes: 2_147_483_648 },
      { source: 'amdgpu', domain: 'card1', boundary: 'gpu-board', method: 'integrated-power', countsTowardTotal: true, watts: 120.5, joules: 30.125, intervalMs: 250 },
    ]);
    await source.stop();
  });

  it('is absent without drm or without an amdgpu hwmon', () => {
    expect(probeAmdgpu({ sysfsRoot: root('amdgpu-none') }).status).toEqual({ state: 'absent', detail: 'no /sys/class/drm (no GPU driver loaded)' });
    const r = root('amdgpu-nopower');
    buildAmdgpuTree(r, [{}]);
    expect(probeAmdgpu({ sysfsRoot: r }).status).toEqual({ state: 'absent', detail: 'no amdgpu card with a hwmon power reading' });
  });
});

describe('battery', () => {
  it('gives whole-system power while discharging, from power_now or current_now × voltage_now; ignores a mouse', async () => {
    const r = root('battery');
    buildBatteryTree(r, [
      { name: 'BAT0', status: 'Discharging', powerNowUw: 12_345_000 },
      { name: 'BAT1', status: 'Discharging', currentNowUa: -1_500_000, voltageNowUv: 11_400_000 },
      { name: 'hidpp_battery_0', status: 'Discharging', scope: 'Device' },
    ]);
    expect(probeBattery({ sysfsRoot: r }).status).toEqual({ state: 'available', detail: 'BAT0, BAT1 discharging (whole-system power)' });
    const source = createBatterySource({ sysfsRoot: r });
    await source.start(ctx(1000));
    const readings = source.read(ctx(1200));
    // 12.345 W from power_now; 1.5 A × 11.4 V = 17.1 W from current_now (negative: discharging) × voltage_now.
    expect(readings.map((x) => [x.domain, x.boundary, x.method, x.countsTowardTotal])).toEqual([
      ['BAT0', 'system', 'integrated-power', true],
      ['BAT1', 'system', 'integrated-power', true],
    ]);
    expect(readings[0].watts).toBeCloseTo(12.345, 12);
    expect(readings[0].joules).toBeCloseTo(2.469, 12);
    expect(readings[1].watts).toBeCloseTo(17.1, 12);
    expect(readings[1].joules).toBeCloseTo(3.42, 12);
    await source.stop();
  });

  it('is unsupported on the charger with the fix; fails softly when plugged in mid-run', async () => {
    const charging = root('battery-ac');
    buildBatteryTree(charging, [{ name: 'BAT0', status: 'Charging', powerNowUw: 20_000_000 }], true);
    expect(probeBattery({ sysfsRoot: charging }).status).toEqual({
      state: 'unsupported',
      detail: 'BAT0 is Charging: battery power covers the system only while discharging',
      fix: 'unplug the charger to measure whole-system power from the battery',
    });
    const r = root('battery-plug');
    const status = buildBatteryTree(r, [{ name: 'BAT0', status: 'Discharging', powerNowUw: 10_000_000 }]);
    const source = createBatterySource({ sysfsRoot: r });
    await source.start(ctx(0));
    expect(source.read(ctx(100)).map((x) => x.joules)).toEqual([1]);
    setValue(status.BAT0, 'Charging\n');
    expect(source.read(ctx(200))).toEqual([]);
    expect(source.failed).toBe(true);
    expect(source.failureReason).toBe('BAT0 stopped discharging (Charging): the charger was plugged in');
    expect(source.failedAtMs).toBe(200);
    await source.stop();
  });
});

describe('apple', () => {
  it('is unsupported off macOS and on Intel Macs', async () => {
    expect((await probeApple({ platform: 'linux' })).status).toEqual({ state: 'unsupported', detail: 'Apple Silicon only (powermetrics on macOS); this is linux' });
    expect((await probeApple({ platform: 'darwin', arch: 'x64' })).status.state).toBe('unsupported');
  });

  it('says powermetrics needs root, with the fix', async () => {
    process.env.FAKE_POWERMETRICS_NOT_ROOT = '1';
    try {
      expect((await probeApple({ platform: 'darwin', arch: 'arm64' })).status).toEqual({
        state: 'permission-denied',
        detail: 'powermetrics must be run as root',
        fix: 'run wattbench with sudo (powermetrics reads the SoC energy counters as root only), or use --power estimate',
      });
    } finally {
      delete process.env.FAKE_POWERMETRICS_NOT_ROOT;
    }
  });

  it('reads CPU, GPU and ANE power from one powermetrics process and integrates it', async () => {
    const options = { platform: 'darwin' as const, arch: 'arm64' };
    expect((await probeApple(options)).status.state).toBe('available');
    const source = await createAppleSource(options);
    try {
      await source.start(ctx(Date.now()));
      // A reading exists once powermetrics has printed a sample: read until one comes (each read starts a new interval).
      const readings = await waitFor('a powermetrics sample', () => {
        const r = source.read(ctx(Date.now()));
        return r.length > 0 ? r : null;
      });
      expect(readings.map((x) => [x.domain, x.boundary, x.watts])).toEqual([
        ['cpu', 'cpu-package', 1.234],
        ['gpu', 'gpu-board', 0.056],
        ['ane', 'cpu-package', 0],
      ]);
      for (const x of readings) expect(x.joules).toBeCloseTo((x.watts * x.intervalMs!) / 1000, 12);
    } finally {
      await source.stop();
    }
  });
});
