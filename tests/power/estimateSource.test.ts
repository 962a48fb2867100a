// The estimate: CodeCarbon's CPU-load and RAM models checked against hand-computed values, the
// TDP table's matching, and the estimate running for real on this machine.
import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuLoadPowerW, estimateDimmCount, ramPowerW, resolveEstimateModel } from '../../lib/power/cpuPowerModel';
import { createCpuUtilisationMeter } from '../../lib/power/cpuUtilisationMeter';
import { detectPowerSources } from '../../lib/power/detectPowerSources';
import { createEstimateSource } from '../../lib/power/estimateSource';
import { CPU_TDP_TABLE, matchCpuTdp, normalizeCpuModel } from '../../lib/power/matchCpuTdp';
import { InputError } from '../../lib/errors/WattbenchError';
import { makeFixtureRoot } from './helpers/sysfsFixture';

const GiB = 1024 ** 3;

describe('matchCpuTdp', () => {
  it('matches /proc/cpuinfo and macOS model names deterministically', () => {
    const cases: Array<[string, string | null]> = [
      ['Intel(R) Core(TM) i7-1165G7 @ 2.80GHz', 'Intel Core i7-1165G7'],
      ['12th Gen Intel(R) Core(TM) i5-12400F', 'Intel Core i5-12400'],
      ['Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz', 'Intel Core i7-8700'],
      ['Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz', 'Intel Core i7-8700K'],
      ['Intel(R) Core(TM) Ultra 7 155H', 'Intel Core Ultra 7 155H'],
      ['AMD Ryzen 7 5800X 8-Core Processor', 'AMD Ryzen 7 5800X'],
      ['AMD Ryzen 7 5800X3D 8-Core Processor', 'AMD Ryzen 7 5800X3D'],
      ['AMD Ryzen 7 7840U w/ Radeon 780M Graphics', 'AMD Ryzen 7 7840U'],
      ['AMD Ryzen AI 9 HX 370 w/ Radeon 890M', 'AMD Ryzen AI 9 HX 370'],
      ['AMD Ryzen Threadripper 3970X 32-Core Processor', 'AMD Ryzen Threadripper 3970X'],
      ['AMD EPYC 7763 64-Core Processor', 'AMD EPYC 7763'],
      ['Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', 'Intel Xeon Platinum 8380'],
      ['Intel(R) Xeon(R) Platinum 8480+', 'Intel Xeon Platinum 8480+'],
      ['Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz', 'Intel Xeon E5-2680 v4'],
      ['Apple M1', 'Apple M1'],
      ['Apple M1 Pro', 'Apple M1 Pro'],
      ['Apple M3 Max', 'Apple M3 Max'],
      ['Intel(R) Xeon(R) Processor', null],
      ['Intel(R) Xeon(R) CPU @ 2.20GHz', null],
      ['Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz', null],
    ];
    for (const [model, name] of cases) expect(matchCpuTdp(model)?.name ?? null, model).toBe(name);
    expect(normalizeCpuModel('Intel(R) Core(TM) i7-1165G7 @ 2.80GHz')).toBe('intel core i7-1165g7');
  });

  it('has a documented source, TDP and threads for every row, and no key twice', () => {
    expect(CPU_TDP_TABLE.length).toBeGreaterThanOrEqual(60);
    const keys = CPU_TDP_TABLE.flatMap((e) => [e.key, ...(e.aliases ?? [])]);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of CPU_TDP_TABLE) {
      expect(e.tdpW, e.name).toBeGreaterThan(0);
      expect(e.threads, e.name).toBeGreaterThanOrEqual(e.cores);
      expect(e.source.length, e.name).toBeGreaterThan(5);
      expect(matchCpuTdp(e.name)?.name, e.name).toBe(e.name);
      if (e.name.startsWith('Apple')) expect(e.estimated && e.source.startsWith('estimate:'), e.name).toBe(true);
    }
  });
});

describe('CodeCarbon models, by hand', () => {
  it('CPU: TDP · (0.1 + 0.9 · load³), or idle + (TDP − idle) · load³', () => {
    expect(cpuLoadPowerW(65, 0)).toBeCloseTo(6.5, 12);
    expect(cpuLoadPowerW(65, 0.5)).toBeCloseTo(13.8125, 12); // 65 × (0.1 + 0.9 × 0.125)
    expect(cpuLoadPowerW(65, 1)).toBeCloseTo(65, 12);
    expect(cpuLoadPowerW(100, 0.5, 20)).toBeCloseTo(30, 12); // 20 + 80 × 0.125
    expect(cpuLoadPowerW(65, 1.7)).toBeCloseTo(65, 12); // clamped
  });

  it('RAM: DIMMs guessed from the size, 5 W each with a smaller marginal cost, 10 W floor (1.5 W and 3 W on ARM)', () => {
    expect([2, 4, 8, 16, 16.5, 32, 64, 96, 128, 192, 256, 1024].map(estimateDimmCount)).toEqual([1, 2, 2, 2, 4, 4, 4, 8, 8, 12, 8, 8]);
    expect(ramPowerW(1, false)).toBe(10); // floor
    expect(ramPowerW(2, false)).toBe(10);
    expect(ramPowerW(4, false)).toBe(20);
    expect(ramPowerW(8, false)).toBeCloseTo(38, 12); // 20 + 4 × 4.5
    expect(ramPowerW(12, false)).toBeCloseTo(54, 12); // 38 + 4 × 4
    expect(ramPowerW(20, false)).toBeCloseTo(84, 12); // 38 + 32 + 4 × 3.5
    expect(ramPowerW(2, true)).toBe(3);
    expect(ramPowerW(4, true)).toBe(6);
  });

  it('resolves the TDP: table, VM share of a server CPU, unknown CPU, flags', () => {
    const desktop = resolveEstimateModel({ cpuModel: '12th Gen Intel(R) Core(TM) i5-12400', logicalCpus: 12, memoryBytes: 16 * GiB, arch: 'x64' });
    expect([desktop.tdpW, desktop.idleW, desktop.ramW, desktop.cpuModelLabel, desktop.ramModelLabel]).toEqual([
      65,
      6.5,
      10,
      'CodeCarbon CPU-load model (TDP 65 W)',
      'CodeCarbon RAM model (10 W: 2 DIMMs guessed from 16 GiB)',
    ]);
    const vm = resolveEstimateModel({ cpuModel: 'Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', logicalCpus: 4, memoryBytes: 15 * GiB, arch: 'x64' });
    expect(vm.tdpW).toBeCloseTo(13.5, 12); // 270 W × 4/80
    expect(vm.cpuModelLabel).toBe('CodeCarbon CPU-load model (TDP 270 W × 4/80 threads = 13.5 W)');
    expect(vm.threadScale).toEqual({ visible: 4, package: 80 });
    const unknown = resolveEstimateModel({ cpuModel: 'Intel(R) Xeon(R) Processor', logicalCpus: 2, memoryBytes: 8 * GiB, arch: 'x64' });
    expect([unknown.tdpW, unknown.cpuModelLabel]).toEqual([8, 'CodeCarbon CPU-load model (unknown CPU: 4 W × 2 threads = 8 W)']);
    const apple = resolveEstimateModel({ cpuModel: 'Apple M2', logicalCpus: 8, memoryBytes: 16 * GiB, arch: 'arm64' });
    expect([apple.cpuModelLabel, apple.ramW]).toEqual(['CodeCarbon CPU-load model (estimated TDP 20 W)', 3]);
    const flags = resolveEstimateModel({ cpuModel: 'anything', logicalCpus: 2, memoryBytes: 8 * GiB, tdpW: 100, idleWatts: 20, arch: 'x64' });
    expect([flags.tdpW, flags.idleW, flags.cpuModelLabel]).toEqual([100, 20, 'CodeCarbon CPU-load model (TDP 100 W from --tdp, not scaled to visible threads, idle 20 W from --idle-watts)']);
    expect(flags.tdpNotScaled).toMatch(/not scaled to the threads this machine sees: "anything" is not in the TDP table/);
    // --tdp is a package TDP, like the table's: a 4-thread VM on an 80-thread package gets 4/80 of it, and says so.
    const vmFlag = resolveEstimateModel({ cpuModel: 'Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', logicalCpus: 4, memoryBytes: 16 * GiB, tdpW: 200, arch: 'x64' });
    expect([vmFlag.tdpW, vmFlag.threadScale, vmFlag.tdpNotScaled]).toEqual([10, { visible: 4, package: 80 }, null]);
    expect(vmFlag.cpuModelLabel).toBe('CodeCarbon CPU-load model (TDP 200 W from --tdp × 4/80 threads = 10 W)');
    expect(() => resolveEstimateModel({ cpuModel: 'Apple M1', logicalCpus: 8, memoryBytes: GiB, idleWatts: 20 })).toThrow(InputError);
  });

  it('the source turns model watts into joules over each interval', async () => {
    const source = createEstimateSource({ cpuModel: 'AMD Ryzen 7 5800X 8-Core Processor', logicalCpus: 16, memoryBytes: 32 * GiB, arch: 'x64' });
    expect(source.label).toBe('estimate: CodeCarbon CPU-load model (TDP 105 W) + RAM model (20 W: 4 DIMMs guessed from 32 GiB)');
    await source.start({ nowMs: 0, cpuUtilisation: 0 });
    const r = source.read({ nowMs: 200, cpuUtilisation: 0.5 });
    // 105 × (0.1 + 0.9 × 0.125) = 22.3125 W; × 0.2 s = 4.4625 J. RAM 20 W × 0.2 s = 4 J.
    expect(r.map((x) => [x.domain, x.boundary, x.method, x.countsTowardTotal, x.model])).toEqual([
      ['cpu', 'cpu-package', 'modelled', true, 'CodeCarbon CPU-load model (TDP 105 W)'],
      ['ram', 'dram', 'modelled', true, 'CodeCarbon RAM model (20 W: 4 DIMMs guessed from 32 GiB)'],
    ]);
    expect(r[0].watts).toBeCloseTo(22.3125, 12);
    expect(r[0].joules).toBeCloseTo(4.4625, 12);
    expect(r[1].watts).toBe(20);
    expect(r[1].joules).toBeCloseTo(4, 12);
    expect(r[0].intervalMs).toBe(200);
  });
});

describe('the estimate attributed by process CPU time', () => {
  it("models the CPU from this process's own load when the sampler gives it, and says so", async () => {
    const source = createEstimateSource({ cpuModel: 'AMD Ryzen 7 5800X 8-Core Processor', logicalCpus: 16, memoryBytes: 32 * GiB, arch: 'x64' });
    await source.start({ nowMs: 0, cpuUtilisation: 0 });
    // The machine is fully busy, this process uses half of it: charged 105 × (0.1 + 0.9 × 0.5³), not 105 W.
    const [cpu, ram] = source.read({ nowMs: 200, cpuUtilisation: 1, processCpuUtilisation: 0.5 });
    expect(cpu.watts).toBeCloseTo(22.3125, 12);
    expect(cpu.model).toBe('CodeCarbon CPU-load model (TDP 105 W), attributed by process CPU time');
    expect(ram.watts).toBe(20);
    // Without a process load (`wattbench power` watching the machine), the machine's load, labelled as before.
    const [machine] = source.read({ nowMs: 400, cpuUtilisation: 1 });
    expect(machine.watts).toBe(105);
    expect(machine.model).toBe('CodeCarbon CPU-load model (TDP 105 W)');
  });
});

describe('the estimate on this machine, for real', () => {
  // Independent of the model's arithmetic: the figure the label states at full load, CodeCarbon's 10 % floor at
  // no load, the cubic's value at half load by hand, and order in load, so that a wrong formula fails here.
  it('is chosen when no sensor is readable, follows the measured utilisation, and stays within the figure its label states', async () => {
    const empty = makeFixtureRoot('estimate-real');
    const detected = await detectPowerSources({ power: 'auto', sysfsRoot: empty, nvidiaSmiPath: `${empty}/none`, platform: 'linux' });
    expect(detected.sources.map((s) => s.id)).toEqual(['estimate']);
    const source = detected.sources[0];
    const meter = createCpuUtilisationMeter();
    const t0 = Date.now();
    await source.start({ nowMs: t0, cpuUtilisation: 0 });
    // Real load for a moment: a busy loop on this thread.
    const until = Date.now() + 300;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const u = meter.sample();
    meter.close();
    expect(x).toBeGreaterThan(0);
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThanOrEqual(1);
    // Consecutive 100 ms intervals at chosen loads, and one at the load just measured.
    let t = t0;
    const cpuAt = (load: number) => {
      t += 100;
      const readings = source.read({ nowMs: t, cpuUtilisation: load });
      expect(readings.every((r) => r.method === 'modelled' && r.source === 'estimate' && r.intervalMs === 100)).toBe(true);
      return readings.find((r) => r.domain === 'cpu')!;
    };
    const idle = cpuAt(0);
    const quarter = cpuAt(0.25);
    const half = cpuAt(0.5);
    const real = cpuAt(u);
    const full = cpuAt(1);
    // The label ends with the CPU's full-load watts whatever their origin on this machine: "(TDP 65 W)",
    // "(TDP 270 W × 4/80 threads = 13.5 W)", "(unknown CPU: 4 W × 2 threads = 8 W)".
    expect(full.model).toContain('CodeCarbon CPU-load model');
    const stated = Number(/(\d[\d.]*) W\)$/.exec(full.model!)![1]);
    expect(stated).toBeGreaterThan(0);
    expect(full.watts).toBeCloseTo(stated, 9);
    // A 4-thread share of an 80-thread package is a share: never above the whole package's table TDP.
    const known = matchCpuTdp(os.cpus()[0].model.trim());
    if (known) expect(full.watts).toBeLessThanOrEqual(known.tdpW);
    // No load: CodeCarbon's floor, a tenth of the full-load figure. Half load: 0.1 + 0.9 × 0.5³ = 0.2125 of it.
    expect(idle.watts / stated).toBeCloseTo(0.1, 9);
    expect(half.watts / stated).toBeCloseTo(0.2125, 9);
    // More load, more watts; the measured load lies between no load and full load.
    expect(idle.watts).toBeLessThan(quarter.watts);
    expect(quarter.watts).toBeLessThan(half.watts);
    expect(half.watts).toBeLessThan(full.watts);
    expect(real.watts).toBeGreaterThan(idle.watts);
    expect(real.watts).toBeLessThanOrEqual(full.watts);
    if (u < 0.5) expect(real.watts).toBeLessThan(half.watts);
    else expect(real.watts).toBeGreaterThanOrEqual(half.watts);
    // Joules are the watts over the 100 ms interval.
    expect(real.joules).toBeCloseTo(real.watts * 0.1, 12);
    await source.stop();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
