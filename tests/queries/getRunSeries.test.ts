import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRunSeries } from '../../lib/queries/getRunSeries';
import { addHardware, addModel, addResult, addRun, addSamples, makeDb } from './fixtureDb';

const fx = makeDb('series');
const { db } = fx;
const T0 = 1_700_000_000_000;
let longRun = 0;
let noPowerRun = 0;

beforeAll(() => {
  const hw = addHardware(db);
  const model = addModel(db);
  longRun = addRun(db, model, hw, { startedAt: T0 + 500 });
  // 10 Hz for 1,000 s: idle 2 s, load 1 s, then measuring at 100 tokens/s.
  const rows = [];
  for (let i = 0; i < 10_000; i++) {
    const t = T0 + i * 100;
    const phase = i < 20 ? 'idle' : i < 30 ? 'load' : 'measure';
    const tokens = phase === 'measure' ? (i - 30) * 10 : 0;
    const pkg = 10 + (i % 7);
    rows.push({
      runId: longRun,
      t,
      phase,
      promptIndex: phase === 'measure' ? Math.floor(i / 2500) : null,
      cpuPercent: phase === 'measure' ? 90 : 5,
      rssBytes: 2 * 1024 ** 3,
      memUsedBytes: 8 * 1024 ** 3,
      tokensGenerated: tokens,
      powerW: pkg + 2,
      power: [
        { source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', watts: pkg },
        { source: 'rapl', domain: 'dram', boundary: 'dram', method: 'counter', watts: 2 },
      ],
    });
  }
  addSamples(db, rows);
  for (const [i, p] of [0, 0, 1, 1, 2, 3].entries()) addResult(db, longRun, { promptIndex: p, rep: i, startedAt: T0 + 3000 + i * 100_000, endedAt: T0 + 3000 + i * 100_000 + 50_000 });

  noPowerRun = addRun(db, model, hw, { startedAt: T0 });
  addSamples(db, [
    { runId: noPowerRun, t: T0, phase: 'measure', cpuPercent: 50, tokensGenerated: 0 },
    { runId: noPowerRun, t: T0 + 100, phase: 'measure', cpuPercent: 60, tokensGenerated: 5 },
  ]);
});
afterAll(() => fx.cleanup());

describe('getRunSeries', () => {
  it('downsamples every series to at most maxPoints', () => {
    const s = getRunSeries(db, longRun, 500);
    expect(s.sampleCount).toBe(10_000);
    expect(s.maxDrawn).toBe(500);
    for (const series of [s.cpu, s.rssGiB, s.memUsedGiB, s.tokensPerSec, ...s.power.map((p) => p.points)]) {
      expect(series.length).toBeLessThanOrEqual(500);
      expect(series.length).toBeGreaterThan(100);
    }
  });

  it('draws x in seconds from the first sample, with units converted', () => {
    const s = getRunSeries(db, longRun, 2000);
    expect(s.originMs).toBe(T0);
    expect(s.durationS).toBeCloseTo(999.9);
    expect(s.cpu[0]).toEqual({ x: 0, y: 5 });
    expect(s.rssGiB[0].y).toBe(2);
    expect(s.memUsedGiB[0].y).toBe(8);
  });

  it('gives one power series per source and domain, plus their total', () => {
    const s = getRunSeries(db, longRun, 2000);
    expect(s.power.map((p) => [p.key, p.boundary])).toEqual([
      ['rapl|package-0', 'cpu-package'],
      ['rapl|dram', 'dram'],
      ['total', 'total'],
    ]);
  });

  it('derives tokens per second from the cumulative count', () => {
    const s = getRunSeries(db, longRun, 20_000);
    const late = s.tokensPerSec.filter((p) => p.x > 10);
    expect(late.length).toBeGreaterThan(9000);
    for (const p of late) expect(p.y).toBeCloseTo(100, 6);
  });

  it('marks prompt boundaries and phases', () => {
    const s = getRunSeries(db, longRun, 2000);
    expect(s.promptBoundaries).toEqual([
      { x: 3, promptIndex: 0 },
      { x: 203, promptIndex: 1 },
      { x: 403, promptIndex: 2 },
      { x: 503, promptIndex: 3 },
    ]);
    expect(s.phases.map((p) => p.phase)).toEqual(['idle', 'load', 'measure']);
    expect(s.phases[1]).toEqual({ phase: 'load', from: 1.9, to: 2.9 });
  });

  it('has no power series when power was not measured, and copes with no samples', () => {
    const s = getRunSeries(db, noPowerRun, 2000);
    expect(s.power).toEqual([]);
    expect(s.cpu).toHaveLength(2);
    expect(getRunSeries(db, 123456, 2000)).toMatchObject({ sampleCount: 0, cpu: [], power: [], maxDrawn: 0 });
  });
});
