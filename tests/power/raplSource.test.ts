// RAPL against fixture powercap trees: exact counter arithmetic (sub-zones, several packages,
// wrap-around), and a background writer at a known rate for the accuracy of the whole path.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRaplSource, probeRapl } from '../../lib/power/raplSource';
import { summarizeEnergy, type EnergyTick } from '../../lib/energy/summarizeEnergy';
import type { PowerSource } from '../../lib/power/types';
import { buildRaplTree, makeFixtureRoot, startCounterWriter, stopProcess, writeCounter } from './helpers/sysfsFixture';

const roots: string[] = [];
function root(prefix: string): string {
  const r = makeFixtureRoot(prefix);
  roots.push(r);
  return r;
}
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const ctx = (nowMs: number) => ({ nowMs, cpuUtilisation: 0 });

describe('probeRapl', () => {
  it('reads the real layout: class symlinks, names, sub-zones reported but not totalled', () => {
    const r = root('rapl-one');
    buildRaplTree(r, [{ name: 'package-0', energyUj: 1000, subZones: [{ name: 'core', energyUj: 500 }, { name: 'uncore', energyUj: 10 }, { name: 'dram', energyUj: 200, maxEnergyRangeUj: 65712999613 }] }]);
    expect(fs.lstatSync(path.join(r, 'sys/class/powercap/intel-rapl:0:1')).isSymbolicLink()).toBe(true);
    const probe = probeRapl({ sysfsRoot: r });
    expect(probe.status).toEqual({ state: 'available', detail: 'package-0; sub-zones core, uncore, dram' });
    expect(probe.zones.map((z) => [z.zone, z.domain, z.boundary, z.countsTowardTotal, z.maxEnergyRangeUj])).toEqual([
      ['intel-rapl:0', 'package-0', 'cpu-package', true, 262143328850],
      ['intel-rapl:0:0', 'core', 'cpu-cores', false, 262143328850],
      ['intel-rapl:0:1', 'uncore', 'cpu-package', false, 262143328850],
      ['intel-rapl:0:2', 'dram', 'dram', false, 65712999613],
    ]);
  });

  it('says absent without powercap, and unsupported when energy_uj cannot be read as a counter', () => {
    expect(probeRapl({ sysfsRoot: root('rapl-none') }).status.state).toBe('absent');
    const r = root('rapl-dir');
    const files = buildRaplTree(r, [{ name: 'package-0', energyUj: 1 }]);
    // energy_uj replaced by a directory: opens, but reading fails (EISDIR), even as root.
    fs.rmSync(files['intel-rapl:0']);
    fs.mkdirSync(files['intel-rapl:0']);
    const probe = probeRapl({ sysfsRoot: r });
    expect(probe.status.state).toBe('unsupported');
    expect(probe.status.detail).toMatch(/^RAPL zones present but unreadable: intel-rapl:0 \(.*EISDIR/);
  });

  it('counts psys only where there is no package, and a repeated package name once', () => {
    const r = root('rapl-psys');
    buildRaplTree(r, [{ name: 'package-0', energyUj: 1 }, { name: 'psys', energyUj: 1 }]);
    expect(probeRapl({ sysfsRoot: r }).zones.map((z) => [z.domain, z.boundary, z.countsTowardTotal])).toEqual([
      ['package-0', 'cpu-package', true],
      ['psys', 'system', false],
    ]);
    const r2 = root('rapl-dup');
    buildRaplTree(r2, [{ name: 'package-0', energyUj: 1 }, { name: 'package-0', energyUj: 1 }]);
    expect(probeRapl({ sysfsRoot: r2 }).zones.map((z) => [z.domain, z.countsTowardTotal])).toEqual([
      ['package-0', true],
      ['package-0 (intel-rapl:1)', false],
    ]);
  });
});

describe('createRaplSource', () => {
  it('turns counter deltas into joules and watts, two packages summed, sub-zones apart', async () => {
    const r = root('rapl-two');
    const f = buildRaplTree(r, [
      { name: 'package-0', energyUj: 1_000_000, subZones: [{ name: 'core', energyUj: 400_000 }, { name: 'dram', energyUj: 0 }] },
      { name: 'package-1', energyUj: 5_000_000, subZones: [{ name: 'core', energyUj: 0 }] },
    ]);
    const source = createRaplSource({ sysfsRoot: r });
    expect(source.domains.map((d) => [d.domain, d.countsTowardTotal])).toEqual([
      ['package-0', true],
      ['package-0/core', false],
      ['package-0/dram', false],
      ['package-1', true],
      ['package-1/core', false],
    ]);
    await source.start(ctx(10_000));
    writeCounter(f['intel-rapl:0'], 2_500_000); // +1.5 J in 100 ms: 15 W
    writeCounter(f['intel-rapl:0:0'], 1_300_000); // +0.9 J: 9 W
    writeCounter(f['intel-rapl:0:1'], 200_000); // +0.2 J: 2 W
    writeCounter(f['intel-rapl:1'], 7_000_000); // +2 J: 20 W
    writeCounter(f['intel-rapl:1:0'], 1_100_000); // +1.1 J: 11 W
    const readings = source.read(ctx(10_100));
    expect(readings.map((x) => [x.domain, x.joules, x.watts, x.intervalMs])).toEqual([
      ['package-0', 1.5, 15, 100],
      ['package-0/core', 0.9, 9, 100],
      ['package-0/dram', 0.2, 2, 100],
      ['package-1', 2, 20, 100],
      ['package-1/core', 1.1, 11, 100],
    ]);
    expect(readings.filter((x) => x.countsTowardTotal).reduce((s, x) => s + x.watts, 0)).toBe(35);
    await source.stop();
  });

  it('handles a counter that wraps around through max_energy_range_uj', async () => {
    const r = root('rapl-wrap');
    const f = buildRaplTree(r, [{ name: 'package-0', energyUj: 19_900_000, maxEnergyRangeUj: 20_000_000 }]);
    const source = createRaplSource({ sysfsRoot: r });
    await source.start(ctx(0));
    writeCounter(f['intel-rapl:0'], 1_400_000); // 0.1 J to the top, wraps, then 1.4 J: 1.5 J
    expect(source.read(ctx(100)).map((x) => [x.joules, x.watts])).toEqual([[1.5, 15]]);
    writeCounter(f['intel-rapl:0'], 2_900_000);
    expect(source.read(ctx(200)).map((x) => x.joules)).toEqual([1.5]);
    await source.stop();
  });

  it('fails softly when a counter becomes unreadable mid-run: no throw, a gap, a reason', async () => {
    const r = root('rapl-gone');
    const f = buildRaplTree(r, [{ name: 'package-0', energyUj: 0 }]);
    const source = createRaplSource({ sysfsRoot: r });
    await source.start(ctx(0));
    writeCounter(f['intel-rapl:0'], 'garbage');
    expect(source.read(ctx(100))).toEqual([]);
    expect(source.failed).toBe(true);
    expect(source.failedAtMs).toBe(100);
    expect(source.failureReason).toMatch(/^RAPL read failed: .*expected an integer/);
    expect(source.read(ctx(200))).toEqual([]);
    await source.stop();
  });

  it('matches a background writer at exactly 15 W (and 20 W, wrapping) within 1 %', async () => {
    const r = root('rapl-rate');
    const f = buildRaplTree(r, [
      { name: 'package-0', energyUj: 0, subZones: [{ name: 'core', energyUj: 0 }] },
      // Wraps every second at 20 W: several wrap-arounds mid-run.
      { name: 'package-1', energyUj: 0, maxEnergyRangeUj: 20_000_000 },
    ]);
    const writer = await startCounterWriter([
      { file: f['intel-rapl:0'], watts: 15, startUj: 123_456_789, maxUj: 262143328850 },
      { file: f['intel-rapl:0:0'], watts: 9, startUj: 0, maxUj: 262143328850 },
      { file: f['intel-rapl:1'], watts: 20, startUj: 19_000_000, maxUj: 20_000_000 },
    ]);
    let source: PowerSource | undefined;
    try {
      source = createRaplSource({ sysfsRoot: r });
      const ticks: EnergyTick[] = [];
      const startMs = Date.now();
      await source.start(ctx(startMs));
      // The sampler's loop: 10 Hz on the main thread for 3 s.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const t = Date.now();
          ticks.push({ t, readings: source!.read(ctx(t)) });
          if (t - startMs >= 3000) {
            clearInterval(timer);
            resolve();
          }
        }, 100);
      });
      const endMs = ticks[ticks.length - 1].t;
      const summary = summarizeEnergy(ticks, { startMs, endMs }, {});
      const seconds = (endMs - startMs) / 1000;
      const byDomain = Object.fromEntries(summary.sources.map((s) => [s.domain, s]));
      const error0 = byDomain['package-0'].joules / (15 * seconds) - 1;
      const error1 = byDomain['package-1'].joules / (20 * seconds) - 1;
      const errorTotal = summary.totalJ / (35 * seconds) - 1;
      console.log(
        `RAPL accuracy over ${seconds.toFixed(3)} s, ${ticks.length} ticks: package-0 at 15 W ${(error0 * 100).toFixed(3)} %, ` +
          `package-1 at 20 W with wrap-around ${(error1 * 100).toFixed(3)} %, total ${(errorTotal * 100).toFixed(3)} %`,
      );
      expect(Math.abs(error0)).toBeLessThan(0.01);
      expect(Math.abs(error1)).toBeLessThan(0.01);
      expect(Math.abs(byDomain['package-0/core'].joules / (9 * seconds) - 1)).toBeLessThan(0.01);
      expect(Math.abs(errorTotal)).toBeLessThan(0.01);
      expect(Math.abs(summary.meanW / 35 - 1)).toBeLessThan(0.01);
      expect(summary.partial).toBe(false);
    } finally {
      await source?.stop();
      await stopProcess(writer);
    }
  });
});
