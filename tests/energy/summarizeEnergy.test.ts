// Energy accounting over recorded ticks: hand-computed windows, pro-rata edges, idle baseline,
// per-token figures, partial figures, the --json object and the labels.
import { describe, expect, it } from 'vitest';
import { energyJson, idleBaseline, summarizeEnergy, summarizeEnergyWindows, type EnergyTick } from '../../lib/energy/summarizeEnergy';
import type { PowerReading } from '../../lib/power/types';
import { combineEnergySummaries } from '../../lib/energy/combineEnergySummaries';

const pkg = (watts: number, intervalMs = 100): PowerReading => ({ source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', countsTowardTotal: true, watts, joules: (watts * intervalMs) / 1000, intervalMs });
const core = (watts: number, intervalMs = 100): PowerReading => ({ source: 'rapl', domain: 'core', boundary: 'cpu-package', method: 'counter', countsTowardTotal: false, watts, joules: (watts * intervalMs) / 1000, intervalMs });
const gpu = (watts: number, intervalMs = 100): PowerReading => ({ source: 'nvidia', domain: 'gpu0', boundary: 'gpu-board', method: 'integrated-power', countsTowardTotal: true, watts, joules: (watts * intervalMs) / 1000, intervalMs });

/** Ticks every 100 ms at t = from+100 … to, each with the readings `at(t)` gives. */
function ticks(from: number, to: number, at: (t: number) => PowerReading[]): EnergyTick[] {
  const out: EnergyTick[] = [];
  for (let t = from + 100; t <= to; t += 100) out.push({ t, readings: at(t) });
  return out;
}

describe('summarizeEnergy', () => {
  const run = ticks(1000, 2000, (t) => [pkg(t === 1500 ? 25 : 15), core(9), gpu(40)]);

  it('sums counted domains over (start, end]; sub-zones reported apart', () => {
    const s = summarizeEnergy(run, { startMs: 1000, endMs: 2000 });
    // package: 9 ticks × 1.5 J + 2.5 J = 16 J; GPU 4 J × 10 = 40 J; core 9 J not counted.
    expect(s.totalJ).toBeCloseTo(56, 12);
    expect(s.meanW).toBeCloseTo(56, 12);
    expect(s.peakW).toBe(65);
    expect(s.durationMs).toBe(1000);
    expect(s.netJ).toBeNull();
    expect(s.idleW).toBeNull();
    expect(s.joulesPerToken).toBeNull();
    expect(s.whPer1kTokens).toBeNull();
    expect(s.partial).toBe(false);
    expect(s.basis).toBe('measured');
    expect(s.sources.map((x) => [x.domain, x.countsTowardTotal, Number(x.joules.toFixed(9)), x.peakW, x.coveredMs, x.partial, x.note, x.label])).toEqual([
      ['package-0', true, 16, 25, 1000, false, null, 'measured: RAPL energy counters · CPU package'],
      ['core', false, 9, 9, 1000, false, null, 'measured: RAPL energy counters · CPU package'],
      ['gpu0', true, 40, 40, 1000, false, null, 'measured: NVIDIA GPU sensor · GPU board'],
    ]);
  });

  it('includes a tick at t = end and excludes one at t = start when edges fall on ticks', () => {
    const s = summarizeEnergy(run, { startMs: 1100, endMs: 1300 });
    // Ticks 1200 and 1300: 2 × (1.5 + 4) J.
    expect(s.totalJ).toBeCloseTo(11, 12);
  });

  it('gives a window shorter than one tick its share of that tick, pro rata', () => {
    const s = summarizeEnergy(run, { startMs: 1453, endMs: 1457 });
    // 4 ms of the tick (1400, 1500] at 25 W + 40 W = 65 W: 0.26 J, not 0 and not 6.5 J.
    expect(s.totalJ).toBeCloseTo(0.26, 12);
    expect(s.meanW).toBeCloseTo(65, 9);
    expect(s.durationMs).toBe(4);
  });

  it('adds up: adjacent windows give the energy of the window covering both', () => {
    const edges = [1000, 1037, 1250, 1251, 1499.5, 1999, 2000];
    let sum = 0;
    for (let i = 1; i < edges.length; i++) sum += summarizeEnergy(run, { startMs: edges[i - 1], endMs: edges[i] }).totalJ;
    expect(sum).toBeCloseTo(summarizeEnergy(run, { startMs: 1000, endMs: 2000 }).totalJ, 9);
  });

  it('subtracts the idle baseline for net energy and gives per-token figures', () => {
    const idleTicks = ticks(0, 500, () => [pkg(5), core(2), gpu(10)]);
    const idle = idleBaseline(idleTicks);
    expect(idle.durationMs).toBe(500);
    expect(idle.totalW).toBeCloseTo(15, 12);
    expect(idle.domains.map((d) => [d.domain, d.watts, d.samples])).toEqual([
      ['package-0', 5, 5],
      ['core', 2, 5],
      ['gpu0', 10, 5],
    ]);
    const s = summarizeEnergy(run, { startMs: 1000, endMs: 2000 }, { idle, outputTokens: 112 });
    expect(s.idleW).toBeCloseTo(15, 12);
    expect(s.netJ).toBeCloseTo(56 - 15, 12); // 16 − 5 + 40 − 10
    expect(s.sources.find((x) => x.domain === 'core')!.netJoules).toBeCloseTo(7, 12);
    expect(s.joulesPerToken).toBeCloseTo(0.5, 12);
    expect(s.whPer1kTokens).toBeCloseTo(0.5 / 3.6, 12);
  });

  it('has no baseline without idle ticks', () => {
    const idle = idleBaseline([]);
    expect(idle).toEqual({ durationMs: 0, domains: [], totalW: 0 });
    expect(summarizeEnergy(run, { startMs: 1000, endMs: 2000 }, { idle, outputTokens: 0 })).toMatchObject({ netJ: null, idleW: null, joulesPerToken: null });
  });

  it('marks figures of a source that failed mid-run as partial, with the gap and the reason', () => {
    const failing = ticks(1000, 2000, (t) => (t <= 1400 ? [pkg(15), gpu(40)] : [pkg(15)]));
    const s = summarizeEnergy(failing, { startMs: 1000, endMs: 2000 }, { failures: [{ source: 'nvidia', reason: 'nvidia-smi exited (code 15)', atMs: 1450 }] });
    const g = s.sources.find((x) => x.source === 'nvidia')!;
    expect(g.joules).toBeCloseTo(16, 12);
    expect(g.coveredMs).toBe(400);
    expect(g.meanW).toBeCloseTo(40, 12);
    expect(g.partial).toBe(true);
    expect(g.note).toBe('nvidia failed at 1970-01-01T00:00:01.450Z: nvidia-smi exited (code 15); no reading in 6 of 10 samples');
    expect(s.sources.find((x) => x.source === 'rapl')!.partial).toBe(false);
    expect(s.partial).toBe(true);
    expect(s.totalJ).toBeCloseTo(15 + 16, 12);
    // A repetition that ended before the failure is complete.
    expect(summarizeEnergy(failing, { startMs: 1000, endMs: 1400 }, { failures: [{ source: 'nvidia', reason: 'x', atMs: 1450 }] }).partial).toBe(false);
  });

  it('notes a source that failed before giving any reading', () => {
    const s = summarizeEnergy(run, { startMs: 1000, endMs: 2000 }, { failures: [{ source: 'amdgpu', reason: 'amdgpu could not start: ENOENT', atMs: 900 }] });
    expect(s.partial).toBe(true);
    expect(s.notes).toEqual(['amdgpu failed at 1970-01-01T00:00:00.900Z before any reading: amdgpu could not start: ENOENT']);
  });

  it('uses the previous tick for readings without intervalMs, and labels estimates', () => {
    const model = 'CodeCarbon CPU-load model (TDP 65 W)';
    const est = (w: number): PowerReading => ({ source: 'estimate', domain: 'cpu', boundary: 'cpu-package', method: 'modelled', countsTowardTotal: true, model, watts: w, joules: w * 0.2 });
    const recorded: EnergyTick[] = [
      { t: 1000, readings: [est(10)] },
      { t: 1200, readings: [est(10)] },
      { t: 1400, readings: [est(20)] },
    ];
    const s = summarizeEnergy(recorded, { startMs: 1100, endMs: 1400 });
    // Half of (1000, 1200] at 10 W, then (1200, 1400] at 20 W: 1 J + 4 J.
    expect(s.totalJ).toBeCloseTo(5, 12);
    expect(s.basis).toBe('estimate');
    expect(s.sources[0].label).toBe('estimated (model CodeCarbon CPU-load model (TDP 65 W)) · CPU package');
    expect(s.sources[0].note).toBe('estimate: CodeCarbon CPU-load model (TDP 65 W)');
  });
});

describe('energyJson', () => {
  it('has the issue fields exactly, plus detail per figure', () => {
    const run = ticks(0, 200, () => [pkg(15), core(10)]);
    const idle = idleBaseline(ticks(-300, 0, () => [pkg(5), core(5)]));
    const json = energyJson(summarizeEnergy(run, { startMs: 0, endMs: 200 }, { idle, outputTokens: 6 }));
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      totalJ: 3,
      netJ: 2,
      idleW: 5,
      meanW: 15,
      joulesPerToken: 0.5,
      whPer1kTokens: 0.5 / 3.6,
      // Not split at a first token, no CPU load given: null, never 0.
      prefillJ: null,
      decodeJ: null,
      prefillJPerPromptToken: null,
      decodeJPerToken: null,
      promptTokens: null,
      decodeTokens: null,
      cpuLoad: null,
      othersLoadWarning: null,
      sources: [
        { source: 'rapl', boundary: 'cpu-package', method: 'counter', joules: 3, domain: 'package-0', label: 'measured: RAPL energy counters · CPU package', countsTowardTotal: true, netJoules: 2, meanW: 15, peakW: 15, partial: false, note: null, windowing: 'pro-rata', prefillJoules: null, decodeJoules: null, estimateModel: null },
        { source: 'rapl', boundary: 'cpu-package', method: 'counter', joules: 2, domain: 'core', label: 'measured: RAPL energy counters · CPU package', countsTowardTotal: false, netJoules: 1, meanW: 10, peakW: 10, partial: false, note: null, windowing: 'pro-rata', prefillJoules: null, decodeJoules: null, estimateModel: null },
      ],
      peakW: 15,
      durationMs: 200,
      partial: false,
      basis: 'measured',
    });
  });
});

describe('summarizeEnergyWindows', () => {
  it('gives, window by window, exactly what summarizeEnergy gives — edges, short windows, gaps and a lost GPU included', () => {
    // The GPU stops reporting after t = 1600 and the package skips the tick at 1300: both are gaps.
    const run = ticks(1000, 2500, (t) => [...(t === 1300 ? [] : [pkg(10 + (t % 700) / 100)]), core(9), ...(t <= 1600 ? [gpu(40)] : [])]);
    const windows = [
      { startMs: 900, endMs: 1000 }, // before the first tick
      { startMs: 1000, endMs: 1100, outputTokens: 3 }, // exactly one tick
      { startMs: 1253, endMs: 1257, outputTokens: 1 }, // inside one tick
      { startMs: 1280, endMs: 1420, outputTokens: 7 }, // across the package's gap
      { startMs: 1550, endMs: 1900, outputTokens: 20 }, // across the GPU's loss
      { startMs: 1700, endMs: 1700 }, // empty
      { startMs: 2450, endMs: 2700, outputTokens: 5 }, // past the last tick
    ];
    const idle = idleBaseline(run.slice(0, 3));
    const failures = [{ source: 'nvidia' as const, reason: 'GPU is lost', atMs: 1650 }];
    const together = summarizeEnergyWindows(run, windows, { idle, failures });
    expect(together).toEqual(windows.map(({ outputTokens, ...w }) => summarizeEnergy(run, w, { idle, failures, outputTokens })));
    // And the figures are not trivially zero: the one-tick window holds that tick's package and GPU energy.
    expect(together[1].totalJ).toBeCloseTo(((10 + 1100 % 700 / 100) * 100) / 1000 + 4, 9);
    expect(together[4].sources.find((s) => s.domain === 'gpu0')?.partial).toBe(true);
  });

  it('accepts ticks out of order, as summarizeEnergy does', () => {
    const run = ticks(1000, 1500, () => [pkg(15)]);
    const shuffled = [run[3], run[0], run[4], run[1], run[2]];
    expect(summarizeEnergyWindows(shuffled, [{ startMs: 1000, endMs: 1500 }])[0].totalJ).toBeCloseTo(7.5, 9);
  });
});

describe('windows read at their edges (prefill and decode)', () => {
  // A RAPL package counter stepping 10 W → 40 W at t = 1440, inside the tick (1400, 1500] that holds the
  // repetition's end, read at 100 ms ticks and, like the runner does, at a repetition's start (1234),
  // first token (1250) and end (1471).
  const STEP = 1440;
  /** ∫P dt over (a, b], joules (the step is the only change). */
  const integral = (a: number, b: number) => {
    const lo = Math.min(b, Math.max(a, STEP));
    return (10 * (lo - a) + 40 * (b - lo)) / 1000;
  };
  const counterAt = (times: number[]): EnergyTick[] =>
    times.map((t, i) => {
      const prev = i === 0 ? t - 100 : times[i - 1];
      const joules = integral(prev, t);
      const reading: PowerReading = { ...pkg(0), windowing: 'edges', joules, watts: joules / ((t - prev) / 1000), intervalMs: t - prev };
      return { t, readings: [reading] };
    });
  const timed = [1100, 1200, 1300, 1400, 1500, 1600];
  const withMarks = [...timed, 1234, 1250, 1471].sort((a, b) => a - b);
  const window = { startMs: 1234, endMs: 1471, splitMs: 1250, outputTokens: 11, promptTokens: 32 };

  it('splits exactly where ticks fall on the edges: energy is ∫P dt, prefill + decode = the repetition', () => {
    const [s] = summarizeEnergyWindows(counterAt(withMarks), [window]);
    expect(s.totalJ).toBeCloseTo(integral(1234, 1471), 12);
    expect(s.prefillJ).toBeCloseTo(integral(1234, 1250), 12);
    expect(s.decodeJ).toBeCloseTo(integral(1250, 1471), 12);
    expect(s.prefillJ! + s.decodeJ!).toBeCloseTo(s.totalJ, 12);
    expect(s.sources[0]).toMatchObject({ windowing: 'edges' });
    expect(s.sources[0].prefillJoules! + s.sources[0].decodeJoules!).toBeCloseTo(s.sources[0].joules, 12);
    // Per token: prefill over prompt tokens; decode over the tokens after the first (the first comes with prefill).
    expect(s.promptTokens).toBe(32);
    expect(s.decodeTokens).toBe(10);
    expect(s.prefillJPerPromptToken).toBeCloseTo(integral(1234, 1250) / 32, 12);
    expect(s.decodeJPerToken).toBeCloseTo(integral(1250, 1471) / 10, 12);
  });

  it('without ticks at the edges the same window is shared pro rata, off by the step, and says so', () => {
    const [s] = summarizeEnergyWindows(counterAt(timed), [window]);
    expect(s.sources[0].windowing).toBe('pro-rata');
    // (1400, 1500] holds 40 ms at 10 W and 60 ms at 40 W (2.8 J); pro rata its first 71 ms get 1.988 J, not 1.64 J.
    expect(s.totalJ - integral(1234, 1471)).toBeCloseTo(0.71 * 2.8 - 1.64, 9);
    expect(s.prefillJ! + s.decodeJ!).toBeCloseTo(s.totalJ, 12);
  });

  it('a source read at its own cadence stays pro rata even with ticks at the edges', () => {
    const ticksWithGpu = counterAt(withMarks).map((tk, i, all) => ({ ...tk, readings: [...tk.readings, gpu(40, i === 0 ? 100 : tk.t - all[i - 1].t)] }));
    const [s] = summarizeEnergyWindows(ticksWithGpu, [window]);
    expect(s.sources.map((x) => [x.domain, x.windowing])).toEqual([
      ['package-0', 'edges'],
      ['gpu0', 'pro-rata'],
    ]);
    expect(s.sources[1].joules).toBeCloseTo((40 * 237) / 1000, 9);
  });

  it('adds repetitions up for the run: prefill, decode and their per-token figures', () => {
    const run = counterAt([...withMarks, 1520, 1530, 1590].sort((a, b) => a - b));
    const parts = summarizeEnergyWindows(run, [window, { startMs: 1520, endMs: 1590, splitMs: 1530, outputTokens: 3, promptTokens: 32 }]);
    const total = combineEnergySummaries(parts, 14)!;
    expect(total.prefillJ).toBeCloseTo(integral(1234, 1250) + integral(1520, 1530), 12);
    expect(total.decodeJ).toBeCloseTo(integral(1250, 1471) + integral(1530, 1590), 12);
    expect(total.prefillJ! + total.decodeJ!).toBeCloseTo(total.totalJ, 12);
    expect(total.prefillJPerPromptToken).toBeCloseTo(total.prefillJ! / 64, 12);
    expect(total.decodeJPerToken).toBeCloseTo(total.decodeJ! / 12, 12);
    expect(total.sources[0].windowing).toBe('edges');
    // One repetition split pro rata makes the run's figure pro rata.
    const mixed = combineEnergySummaries([parts[0], summarizeEnergyWindows(counterAt(timed), [window])[0]], 22)!;
    expect(mixed.sources[0].windowing).toBe('pro-rata');
  });

  it('a window that is not split has no prefill or decode figures', () => {
    const s = summarizeEnergy(counterAt(withMarks), { startMs: 1234, endMs: 1471 });
    expect([s.prefillJ, s.decodeJ, s.prefillJPerPromptToken, s.decodeJPerToken, s.sources[0].prefillJoules]).toEqual([null, null, null, null, null]);
  });
});
