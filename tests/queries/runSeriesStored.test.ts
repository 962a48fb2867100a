// A 50-minute run at 10 Hz (30,000 samples: 30 to a time bucket) with a 0.3 s GPU power spike and a one-sample package dip, in a real
// SQLite file: the run page's series keep both within the point budget, whether read from the copy stored at
// run end or computed from the samples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRunSeries, readStoredRunSeries } from '../../lib/queries/getRunSeries';
import { computeRunSeries } from '../../lib/series/runSeries';
import { backfillRunSeries, storeRunSeries } from '../../lib/db/storeRunSeries';
import { mulberry32 } from '../../lib/stats/mulberry32';
import { addHardware, addModel, addRun, addSamples, makeDb } from './fixtureDb';

const fx = makeDb('series-stored');
const { db } = fx;
const T0 = 1_700_000_000_000;
const N = 30_000;
const SPIKE_AT = 23_450; // samples 23,450–23,452: 2,345.0–2,345.2 s
const SPIKE_W = 412.5;
const DIP_AT = 5_001;
const DIP_W = 0.5;
let longRun = 0;
let runningRun = 0;
let shortRun = 0;

beforeAll(() => {
  const hw = addHardware(db);
  const model = addModel(db);
  const rand = mulberry32(3);
  longRun = addRun(db, model, hw, { startedAt: T0, endedAt: T0 + N * 100 });
  const rows = [];
  for (let i = 0; i < N; i++) {
    const pkg = i === DIP_AT ? DIP_W : 18 + 4 * rand();
    const gpu = i >= SPIKE_AT && i < SPIKE_AT + 3 ? SPIKE_W : 60 + 10 * rand();
    rows.push({
      runId: longRun,
      t: T0 + i * 100,
      phase: i < 50 ? 'idle' : i < 80 ? 'load' : 'measure',
      promptIndex: i < 80 ? null : 0,
      // Repetition-boundary ticks carry no machine CPU figure.
      cpuPercent: i % 1000 === 999 ? null : 40 + 50 * rand(),
      rssBytes: 2 * 1024 ** 3 + Math.round(1e6 * rand()),
      memUsedBytes: 8 * 1024 ** 3,
      tokensGenerated: i < 80 ? 0 : (i - 80) * 3,
      powerW: +(pkg + gpu).toFixed(2),
      power: [
        { source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', watts: +pkg.toFixed(2) },
        { source: 'nvidia', domain: 'gpu0', boundary: 'gpu-board', method: 'integrated-power', watts: +gpu.toFixed(2) },
      ],
    });
  }
  addSamples(db, rows);

  runningRun = addRun(db, model, hw, { status: 'running', startedAt: T0, endedAt: null });
  addSamples(db, rows.slice(0, 3000).map((r) => ({ ...r, runId: runningRun })));
  shortRun = addRun(db, model, hw, { startedAt: T0 });
  addSamples(db, rows.slice(0, 1500).map((r) => ({ ...r, runId: shortRun })));
});
afterAll(() => fx.cleanup());

const all = (s: ReturnType<typeof getRunSeries>) => [s.cpu, s.rssGiB, s.memUsedGiB, s.tokensPerSec, ...s.power.map((p) => p.points)];
const byKey = (s: ReturnType<typeof getRunSeries>, key: string) => s.power.find((p) => p.key === key)!.points;

describe('run series of a 30,000-sample run', () => {
  let computed: ReturnType<typeof getRunSeries>;

  it('computed from the samples: every series within 2,000 points, the spike and the dip at their true values', () => {
    expect(readStoredRunSeries(db, longRun)).toBeNull();
    computed = getRunSeries(db, longRun);
    expect(computed.sampleCount).toBe(N);
    expect(computed.durationS).toBeCloseTo((N - 1) / 10, 6);
    for (const series of all(computed)) {
      expect(series.length).toBeLessThanOrEqual(2000);
      expect(series.length).toBeGreaterThan(900);
      for (let i = 1; i < series.length; i++) expect(series[i].x).toBeGreaterThanOrEqual(series[i - 1].x);
    }
    expect(computed.maxDrawn).toBeLessThanOrEqual(2000);
    expect(computed.power.map((p) => p.key)).toEqual(['rapl|package-0', 'nvidia|gpu0', 'total']);

    const gpu = byKey(computed, 'nvidia|gpu0');
    expect(Math.max(...gpu.map((p) => p.y))).toBe(SPIKE_W);
    expect(gpu).toContainEqual({ x: SPIKE_AT / 10, y: SPIKE_W });
    const total = byKey(computed, 'total');
    const peak = total.reduce((a, p) => (p.y > a.y ? p : a));
    expect(peak.y).toBeGreaterThanOrEqual(SPIKE_W + 18);
    expect([2345, 2345.1, 2345.2]).toContain(peak.x);
    const pkg = byKey(computed, 'rapl|package-0');
    expect(pkg).toContainEqual({ x: DIP_AT / 10, y: DIP_W });
    expect(Math.min(...pkg.map((p) => p.y))).toBe(DIP_W);
    // Away from the spike the GPU line stays within its noise band.
    for (const p of gpu.filter((q) => q.y > 70)) expect([2345, 2345.1, 2345.2]).toContain(p.x);
    expect(computed.phases.map((p) => p.phase)).toEqual(['idle', 'load', 'measure']);
    const rate = computed.tokensPerSec.filter((p) => p.x > 10);
    for (const p of rate) expect(p.y).toBeCloseTo(30, 6);
  });

  it('stored at run end: read back from run_series, equal to the computed series', () => {
    expect(storeRunSeries(db, longRun)).toBe(true);
    const stored = readStoredRunSeries(db, longRun);
    expect(stored).not.toBeNull();
    expect(stored).toEqual(computed);
    expect(getRunSeries(db, longRun)).toEqual(computeRunSeries(db, longRun));
    const row = db.$client.prepare('SELECT max_points, sample_count FROM run_series WHERE run_id = ?').get(longRun);
    expect(row).toEqual({ max_points: 2000, sample_count: N });
  });

  it('ignores a stored copy for another budget, or once the run has more samples', () => {
    const small = getRunSeries(db, longRun, 500);
    expect(small.maxDrawn).toBeLessThanOrEqual(500);
    expect(Math.max(...byKey(small, 'nvidia|gpu0').map((p) => p.y))).toBe(SPIKE_W);

    addSamples(db, [{ runId: longRun, t: T0 + N * 100, phase: 'done', cpuPercent: 3, powerW: 999 }]);
    expect(readStoredRunSeries(db, longRun)).toBeNull();
    const fresh = getRunSeries(db, longRun);
    expect(fresh.sampleCount).toBe(N + 1);
    expect(fresh.phases.at(-1)!.phase).toBe('done');
    expect(Math.max(...byKey(fresh, 'total').map((p) => p.y))).toBe(999);
    expect(storeRunSeries(db, longRun)).toBe(true);
    expect(getRunSeries(db, longRun)).toEqual(fresh);
  });
});

describe('storeRunSeries / backfillRunSeries', () => {
  it('stores nothing for a run within the budget (read directly, every sample drawn)', () => {
    expect(storeRunSeries(db, shortRun)).toBe(false);
    expect(readStoredRunSeries(db, shortRun)).toBeNull();
    const s = getRunSeries(db, shortRun);
    expect(s.sampleCount).toBe(1500);
    expect(s.power[0].points).toHaveLength(1500);
  });

  it('backfills finished long runs only, leaving runs still writing to the fallback', () => {
    db.$client.prepare('DELETE FROM run_series').run();
    expect(backfillRunSeries(db)).toEqual([longRun]);
    expect(backfillRunSeries(db)).toEqual([]);
    expect(readStoredRunSeries(db, runningRun)).toBeNull();
    const live = getRunSeries(db, runningRun);
    expect(live.sampleCount).toBe(3000);
    expect(live.maxDrawn).toBeLessThanOrEqual(2000);
  });

  it('falls back when the database predates run_series (the dashboard opens it read-only, unmigrated)', () => {
    const old = makeDb('series-old');
    try {
      const run = addRun(old.db, addModel(old.db), addHardware(old.db), { startedAt: T0 });
      addSamples(old.db, [
        { runId: run, t: T0, phase: 'measure', cpuPercent: 50, tokensGenerated: 0 },
        { runId: run, t: T0 + 100, phase: 'measure', cpuPercent: 60, tokensGenerated: 5 },
      ]);
      old.db.$client.exec('DROP TABLE run_series');
      expect(getRunSeries(old.db, run).cpu).toEqual([
        { x: 0, y: 50 },
        { x: 0.1, y: 60 },
      ]);
    } finally {
      old.cleanup();
    }
  });
});
