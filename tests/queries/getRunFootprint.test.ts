import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFootprintInput, getFootprintRuns, getRunFootprint } from '../../lib/queries/getRunFootprint';
import type { FootprintComparison, FootprintEstimator, FootprintInput } from '../../lib/queries/footprintTypes';
import { addEnergy, addHardware, addModel, addResult, addRun, makeDb } from './fixtureDb';

const fx = makeDb('footprint');
const { db } = fx;
let measured = 0;
let unmeasured = 0;

beforeAll(() => {
  const hw = addHardware(db);
  const model = addModel(db, { name: 'stories260K', fileName: 'stories260K.gguf', parameters: 260_000, sizeBytes: 1_185_376, type: 'F32' });
  measured = addRun(db, model, hw, { totalJ: 7200, startedAt: 5 });
  for (let i = 0; i < 4; i++) {
    const r = addResult(db, measured, { rep: i, promptTokens: 12, outputTokens: 30 });
    addEnergy(db, measured, { resultId: r, joules: 1 });
  }
  addEnergy(db, measured, { source: 'rapl', boundary: 'cpu-package', joules: 6000 });
  addEnergy(db, measured, { source: 'rapl', domain: 'dram', boundary: 'dram', joules: 1200, partial: true, note: 'dram counter stopped' });
  unmeasured = addRun(db, model, hw, { startedAt: 6 });
  addResult(db, unmeasured, { promptTokens: 3, outputTokens: 4 });
  addRun(db, model, hw, { startedAt: 7, status: 'failed' });
});
afterAll(() => fx.cleanup());

describe('getFootprintInput', () => {
  it('sums tokens over measured repetitions and takes whole-run energy', () => {
    const input = getFootprintInput(db, measured, 'FR')!;
    expect(input).toMatchObject({ runId: measured, country: 'FR', inputTokens: 48, outputTokens: 120, answers: 4 });
    expect(input.local).toEqual({
      joules: 7200,
      wh: 2,
      sources: ['rapl'],
      boundaries: ['cpu-package', 'dram'],
      methods: ['counter'],
      notes: ['dram counter stopped'],
      partial: true,
      label: 'measured: RAPL counter, cpu-package + measured: RAPL counter, dram',
    });
    expect(input.model).toEqual({ label: 'stories260K', name: 'stories260K', fileName: 'stories260K.gguf', parameters: 260_000, sizeBytes: 1_185_376, type: 'F32', architecture: null });
  });

  it('leaves local energy null when it was not measured, and knows no unknown run', () => {
    expect(getFootprintInput(db, unmeasured, null)!.local).toBeNull();
    expect(getFootprintInput(db, 9999, null)).toBeNull();
  });
});

describe('getRunFootprint', () => {
  it('hands the inputs to the estimator and returns its comparison', () => {
    const seen: FootprintInput[] = [];
    const comparison: FootprintComparison = {
      country: { code: 'FR', name: 'France', gPerKwh: 44, year: 2024, source: 'test', isDefault: false },
      local: { wh: 2, gco2e: 0.088, source: 'rapl', boundary: 'cpu-package', method: 'counter', label: 'measured' },
      cloud: [],
      published: [],
      method: { name: 'test', version: '0' },
    };
    const estimator: FootprintEstimator = { compare: (i) => (seen.push(i), comparison), countries: () => [{ code: 'FR', name: 'France' }] };
    const fp = getRunFootprint(db, measured, 'FR', estimator)!;
    expect(fp.comparison).toBe(comparison);
    expect(fp.estimatorAvailable).toBe(true);
    expect(seen[0].outputTokens).toBe(120);
  });

  it('works without an estimator, and reports one that throws', () => {
    expect(getRunFootprint(db, measured, null, null)).toMatchObject({ comparison: null, estimatorAvailable: false, error: null });
    const broken: FootprintEstimator = {
      compare: () => {
        throw new Error('no grid data');
      },
      countries: () => [],
    };
    expect(getRunFootprint(db, measured, null, broken)).toMatchObject({ comparison: null, estimatorAvailable: true, error: 'no grid data' });
  });

  it('offers completed runs, newest first', () => {
    expect(getFootprintRuns(db).map((r) => r.id)).toEqual([unmeasured, measured]);
  });
});
