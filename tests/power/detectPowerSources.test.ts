// Detection against fixture trees and the fixture nvidia-smi: the auto rule, totals that never
// count twice, explicit lists, and flag validation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../lib/errors/WattbenchError';
import { detectPowerSources, type DetectPowerOptions } from '../../lib/power/detectPowerSources';
import { parsePowerOption, parseWattsOption } from '../../lib/power/parsePowerOptions';
import type { DetectedPower } from '../../lib/power/detectPowerSources';
import { FIXTURES_DIR, buildAmdgpuTree, buildBatteryTree, buildRaplTree, makeFixtureRoot } from './helpers/sysfsFixture';

const roots: string[] = [];
function root(prefix: string): string {
  const r = makeFixtureRoot(prefix);
  roots.push(r);
  return r;
}
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const NVIDIA = path.join(FIXTURES_DIR, 'nvidia-smi');
/** Detection on a fixture root; no NVIDIA unless asked, Linux, a known CPU. */
async function detect(sysfsRoot: string, extra: Partial<DetectPowerOptions> = {}): Promise<DetectedPower> {
  const detected = await detectPowerSources({
    power: 'auto',
    sysfsRoot,
    nvidiaSmiPath: path.join(sysfsRoot, 'no-nvidia-smi'),
    platform: 'linux',
    cpuModel: 'AMD Ryzen 7 5800X 8-Core Processor',
    logicalCpus: 16,
    memoryBytes: 32 * 1024 ** 3,
    arch: 'x64',
    ...extra,
  });
  // Built but never started: nothing to release except nvidia-smi, which starts in start().
  await Promise.all(detected.sources.map((s) => s.stop()));
  return detected;
}
const used = (d: DetectedPower) => d.statuses.filter((s) => s.used).map((s) => s.id);
const counting = (d: DetectedPower) => d.sources.flatMap((s) => s.domains.filter((x) => x.countsTowardTotal).map((x) => `${x.source}:${x.domain}`));

describe('detectPowerSources, auto', () => {
  it('uses RAPL and GPUs, not the estimate, when RAPL is readable', async () => {
    const r = root('detect-rapl');
    buildRaplTree(r, [{ name: 'package-0', energyUj: 1, subZones: [{ name: 'core', energyUj: 1 }] }]);
    buildAmdgpuTree(r, [{ powerAverageUw: 30_000_000 }]);
    const d = await detect(r);
    expect(d.statuses.map((s) => [s.id, s.state, s.used])).toEqual([
      ['rapl', 'available', true],
      ['nvidia', 'absent', false],
      ['amdgpu', 'available', true],
      ['apple', 'unsupported', false],
      ['battery', 'absent', false],
      ['estimate', 'available', false],
    ]);
    expect(d.sources.map((s) => s.id)).toEqual(['rapl', 'amdgpu']);
    expect(counting(d)).toEqual(['rapl:package-0', 'amdgpu:card0']);
    expect(d.notes).toEqual([]);
  });

  it('adds the CPU estimate to a measured GPU and says the total mixes both', async () => {
    const r = root('detect-gpu-only');
    const d = await detect(r, { nvidiaSmiPath: NVIDIA });
    expect(used(d)).toEqual(['nvidia', 'estimate']);
    expect(counting(d)).toEqual(['nvidia:gpu0', 'estimate:cpu', 'estimate:ram']);
    expect(d.notes).toEqual([
      'no CPU power sensor is readable: CPU and memory energy is an estimate (CodeCarbon CPU-load model (TDP 105 W)) while GPU power is measured (NVIDIA); the total mixes both',
    ]);
  });

  it('on battery without RAPL: battery discharge is the whole-system total', async () => {
    const r = root('detect-battery');
    buildBatteryTree(r, [{ name: 'BAT0', status: 'Discharging', powerNowUw: 9_000_000 }]);
    buildAmdgpuTree(r, [{ powerAverageUw: 5_000_000 }]);
    const d = await detect(r);
    expect(used(d)).toEqual(['amdgpu', 'battery']);
    expect(counting(d)).toEqual(['battery:BAT0']);
    expect(d.notes).toEqual(['battery discharge covers the whole system and is the total; amdgpu shown beside it, not added']);
  });

  it('on battery with RAPL: RAPL is used, battery offered; both when asked, battery then the total', async () => {
    const r = root('detect-rapl-battery');
    buildRaplTree(r, [{ name: 'package-0', energyUj: 1 }]);
    buildBatteryTree(r, [{ name: 'BAT0', status: 'Discharging', powerNowUw: 9_000_000 }]);
    const auto = await detect(r);
    expect(used(auto)).toEqual(['rapl']);
    expect(auto.notes).toEqual(['on battery: whole-system power is available with --power battery']);
    const both = await detect(r, { power: ['rapl', 'battery'] });
    expect(counting(both)).toEqual(['battery:BAT0']);
  });

  it('keeps an explicitly requested estimate beside a measured CPU, out of the total', async () => {
    const r = root('detect-compare');
    buildRaplTree(r, [{ name: 'package-0', energyUj: 1 }]);
    const d = await detect(r, { power: ['rapl', 'estimate'], tdpW: 95 });
    expect(d.sources.map((s) => s.id)).toEqual(['rapl', 'estimate']);
    expect(counting(d)).toEqual(['rapl:package-0']);
    expect(d.notes).toEqual(['the estimate is shown beside the measured CPU power, not added to the total']);
  });

  it('says when --tdp is ignored because the CPU is measured', async () => {
    const r = root('detect-tdp-ignored');
    buildRaplTree(r, [{ name: 'package-0', energyUj: 1 }]);
    expect((await detect(r, { tdpW: 65 })).notes).toEqual(['--tdp ignored: the CPU is measured, not estimated (add --power ...,estimate to compare)']);
  });
});

describe('detectPowerSources, explicit lists and flags', () => {
  it('rejects an unavailable requested source with one line naming it and the fix', async () => {
    const r = root('detect-missing');
    await expect(detect(r, { power: ['rapl'] })).rejects.toThrow(InputError);
    await expect(detect(r, { power: ['rapl', 'nvidia'] })).rejects.toThrow(
      /^--power rapl: no \/sys\/class\/powercap .* \| --power nvidia: .*no-nvidia-smi not found \(no NVIDIA driver; WATTBENCH_NVIDIA_SMI names it if it is elsewhere\)$/,
    );
    const charging = root('detect-charging');
    buildBatteryTree(charging, [{ name: 'BAT0', status: 'Charging', powerNowUw: 1 }], true);
    await expect(detect(charging, { power: ['battery'] })).rejects.toThrow(
      '--power battery: BAT0 is Charging: battery power covers the system only while discharging; unplug the charger to measure whole-system power from the battery',
    );
  });

  it('rejects invalid --tdp and --idle-watts', async () => {
    const r = root('detect-flags');
    await expect(detect(r, { tdpW: 0 })).rejects.toThrow('--tdp must be a number of watts above 0 to 5000 (got "0")');
    await expect(detect(r, { tdpW: Number.NaN })).rejects.toThrow(InputError);
    await expect(detect(r, { idleWatts: -1 })).rejects.toThrow('--idle-watts must be a number of watts from 0 to 5000 (got "-1")');
    await expect(detect(r, { idleWatts: 200 })).rejects.toThrow(
      "--idle-watts 200 must be below the CPU's TDP (105 W: AMD Ryzen 7 5800X, AMD product page (Default TDP)); lower it or pass --tdp",
    );
  });

  it('parses --power, --tdp and --idle-watts text', () => {
    expect(parsePowerOption('auto')).toBe('auto');
    expect(parsePowerOption(' RAPL, nvidia ,rapl')).toEqual(['rapl', 'nvidia']);
    expect(() => parsePowerOption('rapl,cuda')).toThrow('--power: unknown source "cuda"; use auto or a comma-separated list of rapl, nvidia, amdgpu, apple, battery, estimate');
    expect(() => parsePowerOption(',')).toThrow(InputError);
    expect(parseWattsOption('--tdp', '65.5', false)).toBe(65.5);
    expect(parseWattsOption('--idle-watts', '0', true)).toBe(0);
    expect(() => parseWattsOption('--tdp', '65W', false)).toThrow('--tdp must be a number of watts above 0 to 5000 (got "65W")');
  });
});
