// NVIDIA against a fixture nvidia-smi first on PATH, printing the real CSV format: probing,
// loop mode through one long-lived process, the energy counter, and a GPU lost mid-run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { summarizeEnergy, type EnergyTick } from '../../lib/energy/summarizeEnergy';
import { createNvidiaSource, parseNvidiaSmiLine, probeNvidia } from '../../lib/power/nvidiaSource';
import { createRaplSource } from '../../lib/power/raplSource';
import type { PowerSource } from '../../lib/power/types';
import { waitFor } from '../helpers/waitFor';
import { FIXTURES_DIR, buildRaplTree, makeFixtureRoot, startCounterWriter, stopProcess } from './helpers/sysfsFixture';

const saved = { ...process.env };
let tmp: string;
beforeAll(() => {
  tmp = makeFixtureRoot('nvidia');
  // The fixture is "nvidia-smi" first on PATH, as the real one would be.
  process.env.PATH = `${FIXTURES_DIR}${path.delimiter}${saved.PATH}`;
  delete process.env.WATTBENCH_NVIDIA_SMI;
});
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('FAKE_NVIDIA_')) delete process.env[k];
});
afterAll(() => {
  process.env = saved;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * The sampler's loop: `read` every 100 ms for `ms`, ticks recorded. The window opens once every source has given a
 * reading (the fixture nvidia-smi is a Node process: on a busy machine its first line can take a while; no fixed
 * sleep, poll for it), so that the window measures the sources, not their start-up.
 */
async function sample(sources: PowerSource[], ms: number): Promise<{ ticks: EnergyTick[]; startMs: number; endMs: number }> {
  const ticks: EnergyTick[] = [];
  const t0 = Date.now();
  await Promise.all(sources.map((s) => s.start({ nowMs: t0, cpuUtilisation: 0 })));
  const ready = new Set<PowerSource>();
  // Every source is read at the same instant on each poll: the last poll's instant is where the window opens.
  const startMs = await waitFor('a first reading from every source', () => {
    const t = Date.now();
    for (const s of sources) if (s.read({ nowMs: t, cpuUtilisation: 0 }).length > 0) ready.add(s);
    return ready.size === sources.length ? t : null;
  });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = Date.now();
      ticks.push({ t, readings: sources.flatMap((s) => s.read({ nowMs: t, cpuUtilisation: 0 })) });
      if (t - startMs >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
  });
  return { ticks, startMs, endMs: ticks[ticks.length - 1].t };
}

describe('parseNvidiaSmiLine', () => {
  it('reads csv,noheader,nounits lines, [N/A] as null, and ignores messages', () => {
    expect(parseNvidiaSmiLine('0, NVIDIA GeForce RTX 4090, 45.50, 1024, 37', false)).toEqual({ index: 0, name: 'NVIDIA GeForce RTX 4090', watts: 45.5, memoryMiB: 1024, utilisationPct: 37, energyMj: null });
    expect(parseNvidiaSmiLine('1, Tesla K80, [N/A], 0, 0, [N/A]', true)).toEqual({ index: 1, name: 'Tesla K80', watts: null, memoryMiB: 0, utilisationPct: 0, energyMj: null });
    expect(parseNvidiaSmiLine('Unable to determine the device handle for GPU0000:01:00.0: GPU is lost.', false)).toBeNull();
  });
});

describe('probeNvidia', () => {
  it('finds nvidia-smi on PATH; without the energy field it integrates power', async () => {
    const probe = await probeNvidia();
    expect(probe).toEqual({
      status: { state: 'available', detail: 'gpu0 NVIDIA GeForce RTX 4090 (power integrated over time: no energy counter)' },
      gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 4090' }],
      energyCounter: false,
    });
  });

  it('uses the energy counter where the driver exposes it', async () => {
    process.env.FAKE_NVIDIA_ENERGY = '1';
    process.env.FAKE_NVIDIA_GPUS = JSON.stringify([
      { name: 'NVIDIA A100-SXM4-40GB', watts: 60, memoryMiB: 0, util: 0 },
      { name: 'NVIDIA A100-SXM4-40GB', watts: 61.25, memoryMiB: 0, util: 0 },
    ]);
    const probe = await probeNvidia();
    expect(probe.status.detail).toBe('gpu0 NVIDIA A100-SXM4-40GB, gpu1 NVIDIA A100-SXM4-40GB (energy counter)');
    expect(probe.energyCounter).toBe(true);
  });

  it('reports absent without nvidia-smi or without a driver, unsupported without power readings', async () => {
    expect((await probeNvidia({ nvidiaSmiPath: path.join(tmp, 'missing') })).status.state).toBe('absent');
    process.env.FAKE_NVIDIA_NO_DRIVER = '1';
    expect((await probeNvidia()).status).toEqual({
      state: 'absent',
      detail: "nvidia-smi found but reports no usable GPU: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    });
    delete process.env.FAKE_NVIDIA_NO_DRIVER;
    process.env.FAKE_NVIDIA_GPUS = JSON.stringify([{ name: 'Tesla K80', watts: null }]);
    expect((await probeNvidia()).status).toEqual({ state: 'unsupported', detail: 'GPU 0 (Tesla K80): power.draw is not supported' });
  });
});

describe('createNvidiaSource', () => {
  it('runs one nvidia-smi in loop mode and integrates its power exactly', async () => {
    const log = path.join(tmp, 'loop.log');
    process.env.FAKE_NVIDIA_LOG = log;
    const source = await createNvidiaSource();
    try {
      const { ticks, startMs, endMs } = await sample([source], 1000);
      const readings = ticks.flatMap((t) => t.readings);
      expect(readings.length).toBeGreaterThan(5);
      for (const r of readings) {
        expect(r).toMatchObject({ source: 'nvidia', domain: 'gpu0', boundary: 'gpu-board', method: 'integrated-power', countsTowardTotal: true, watts: 45.5, utilisation: 0.37, memoryUsedBytes: 1024 * 1024 * 1024 });
        expect(r.joules).toBeCloseTo((45.5 * r.intervalMs!) / 1000, 9);
      }
      const summary = summarizeEnergy(ticks, { startMs, endMs });
      expect(summary.totalJ).toBeCloseTo((45.5 * (endMs - startMs)) / 1000, 6);
      expect(summary.partial).toBe(false);
    } finally {
      await source.stop();
    }
    const invocations = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(invocations.filter((l) => l.includes(' -lms 100'))).toHaveLength(1);
    expect(invocations).toHaveLength(3); // probe with the energy field, probe without, the loop
  });

  it('takes energy from the driver counter within 1 % of the injected 60 W', async () => {
    process.env.FAKE_NVIDIA_ENERGY = '1';
    process.env.FAKE_NVIDIA_GPUS = JSON.stringify([{ name: 'NVIDIA H100 80GB HBM3', watts: 60, memoryMiB: 512, util: 90 }]);
    // nvidia-smi prints every 100 ms, out of step with the reads: the counter is extrapolated to each read.
    const source = await createNvidiaSource();
    try {
      expect(source.domains[0].method).toBe('counter');
      const { ticks, startMs, endMs } = await sample([source], 3000);
      const summary = summarizeEnergy(ticks, { startMs, endMs });
      const error = summary.totalJ / ((60 * (endMs - startMs)) / 1000) - 1;
      console.log(`NVIDIA counter accuracy over ${((endMs - startMs) / 1000).toFixed(3)} s: ${(error * 100).toFixed(3)} %`);
      expect(Math.abs(error)).toBeLessThan(0.01);
    } finally {
      await source.stop();
    }
  });

  it('a GPU lost mid-run: nvidia-smi exits, the run goes on, the gap is recorded and the figure is partial', async () => {
    process.env.FAKE_NVIDIA_LOST_AFTER_MS = '700';
    const root = makeFixtureRoot('nvidia-lost');
    const files = buildRaplTree(root, [{ name: 'package-0', energyUj: 0 }]);
    const writer = await startCounterWriter([{ file: files['intel-rapl:0'], watts: 15, startUj: 0, maxUj: 262143328850 }]);
    const nvidia = await createNvidiaSource();
    const rapl = createRaplSource({ sysfsRoot: root });
    try {
      const { ticks, startMs, endMs } = await sample([rapl, nvidia], 2000);
      expect(nvidia.failed).toBe(true);
      expect(nvidia.failureReason).toMatch(/^nvidia-smi exited \(code 15\): Unable to determine the device handle for GPU0000:01:00\.0: GPU is lost\. {2}Reboot the system to recover this GPU; GPU readings stop at /);
      expect(rapl.failed).toBe(false);
      // Every tick has RAPL; GPU readings stop after the failure.
      expect(ticks.every((t) => t.readings.some((r) => r.source === 'rapl'))).toBe(true);
      const lastGpu = Math.max(...ticks.filter((t) => t.readings.some((r) => r.source === 'nvidia')).map((t) => t.t));
      expect(ticks.filter((t) => t.t > nvidia.failedAtMs!).every((t) => !t.readings.some((r) => r.source === 'nvidia'))).toBe(true);
      expect(lastGpu).toBeLessThanOrEqual(nvidia.failedAtMs! + 100);

      const summary = summarizeEnergy(ticks, { startMs, endMs }, { failures: [{ source: 'nvidia', reason: nvidia.failureReason!, atMs: nvidia.failedAtMs! }] });
      const gpu = summary.sources.find((s) => s.source === 'nvidia')!;
      const pkg = summary.sources.find((s) => s.source === 'rapl')!;
      expect(summary.partial).toBe(true);
      expect(gpu.partial).toBe(true);
      expect(gpu.note).toMatch(/^nvidia failed at .*: nvidia-smi exited \(code 15\).*; no reading in \d+ of \d+ samples$/);
      expect(gpu.coveredMs).toBeLessThan(endMs - startMs);
      expect(gpu.joules).toBeCloseTo((45.5 * gpu.coveredMs) / 1000, 6);
      expect(pkg.partial).toBe(false);
      expect(Math.abs(pkg.joules / ((15 * (endMs - startMs)) / 1000) - 1)).toBeLessThan(0.01);
      expect(summary.totalJ).toBeCloseTo(gpu.joules + pkg.joules, 9);
    } finally {
      await nvidia.stop();
      await rapl.stop();
      await stopProcess(writer);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
