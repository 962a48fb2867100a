import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFootprintInput, getFootprintRuns, getRunFootprint } from '../../lib/queries/getRunFootprint';
import type { FootprintComparison, FootprintEstimator, FootprintInput } from '../../lib/queries/footprintTypes';
import { footprintEstimator } from '../../lib/queries/footprintEstimator';
import { translate } from '../../lib/i18n/translate';
import { addEnergy, addHardware, addModel, addResult, addRun, makeDb } from './fixtureDb';

const fx = makeDb('footprint');
const { db } = fx;
let measured = 0;
let unmeasured = 0;
let estimated = 0;
let mixed = 0;
let noneBasis = 0;

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
  // A CPU estimate (idle floor 10 % of 65 W = 6.5 W over 10 s: 65 of 100 J) and a RAM guess (50 J, all constant): 115/150 ≈ 77 %.
  estimated = addRun(db, model, hw, { startedAt: 8, energyBasis: 'estimate' });
  addResult(db, estimated, { promptTokens: 5, outputTokens: 10 });
  addEnergy(db, estimated, { source: 'estimate', domain: 'cpu', boundary: 'cpu-package', method: 'modelled', joules: 100, meanW: 10, note: 'estimate: CodeCarbon CPU-load model (TDP 65 W)', estimateModel: 'CodeCarbon CPU-load model (TDP 65 W)' });
  addEnergy(db, estimated, { source: 'estimate', domain: 'dram', boundary: 'dram', method: 'modelled', joules: 50, meanW: 5 });
  // No stored basis: derived from the methods (a counter and a model: mixed).
  mixed = addRun(db, model, hw, { startedAt: 9 });
  addEnergy(db, mixed, { source: 'rapl', boundary: 'cpu-package', method: 'counter', joules: 300 });
  addEnergy(db, mixed, { source: 'estimate', domain: 'dram', boundary: 'dram', method: 'modelled', joules: 20, meanW: 2 });
  // The runner said "none": no local figure, as in the CLI.
  noneBasis = addRun(db, model, hw, { startedAt: 10, energyBasis: 'none' });
  addEnergy(db, noneBasis, { joules: 1 });
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
      label: 'measured: RAPL energy counters · CPU package + memory (DRAM)',
      basis: 'measured',
      basisText: 'measured',
      window: translate('en', 'energy.window'),
      constantNote: null,
    });
    expect(input.model).toEqual({ label: 'stories260K', name: 'stories260K', fileName: 'stories260K.gguf', parameters: 260_000, sizeBytes: 1_185_376, type: 'F32', architecture: null });
  });

  it('leaves local energy null when it was not measured, and knows no unknown run', () => {
    expect(getFootprintInput(db, unmeasured, null)!.local).toBeNull();
    expect(getFootprintInput(db, noneBasis, null)!.local).toBeNull();
    expect(getFootprintInput(db, 9999, null)).toBeNull();
  });

  it('describes an estimate in the page language: basis, window and the constant-term note', () => {
    const en = getFootprintInput(db, estimated, null)!.local!;
    expect(en).toMatchObject({ basis: 'estimate', basisText: 'estimated', window: translate('en', 'energy.window') });
    expect(en.constantNote).toMatch(/^Mostly a fixed allowance: 77\s?%/);
    const fr = getFootprintInput(db, estimated, null, 'fr')!.local!;
    expect(fr).toMatchObject({ basis: 'estimate', basisText: 'estimé', window: translate('fr', 'energy.window') });
    expect(fr.constantNote).toMatch(/^Surtout une part fixe : 77/);
  });

  it('derives the basis from the methods when the run did not store one', () => {
    const local = getFootprintInput(db, mixed, null)!.local!;
    expect(local).toMatchObject({ basis: 'mixed', basisText: 'measured + estimated', methods: ['counter', 'modelled'] });
    // 20 J of RAM guess in 320 J: the constant term does not dominate.
    expect(local.constantNote).toBeNull();
  });
});

describe('getRunFootprint', () => {
  it('hands the inputs to the estimator and returns its comparison', () => {
    const seen: FootprintInput[] = [];
    const comparison: FootprintComparison = {
      country: { code: 'FR', name: 'France', gPerKwh: 44, year: 2024, source: 'test', isDefault: false },
      local: { wh: 2, gco2e: 0.088, source: 'rapl', boundary: 'cpu-package', method: 'counter', label: 'measured', basis: 'measured', window: null, constantNote: null },
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
    expect(getFootprintRuns(db).map((r) => r.id)).toEqual([noneBasis, mixed, estimated, unmeasured, measured]);
  });

  it('with the real estimator: the local basis, window and note, and a fit warning on a cloud row far below the fitted sizes', () => {
    const c = getRunFootprint(db, estimated, 'FR', footprintEstimator, 'fr')!.comparison!;
    expect(c.local).toMatchObject({ basis: 'estimate', window: translate('fr', 'energy.window') });
    expect(c.local!.constantNote).toMatch(/^Surtout une part fixe/);
    // stories260K (260,000 parameters) is not in the catalogue: its own size, far below EcoLogits' 8–405 B.
    const same = c.cloud.find((r) => r.key === 'same-open-model')!;
    expect(same.fitRange).toMatchObject({ side: 'below', activeParamsB: 0.00026, fitLowB: 8, fitHighB: 405 });
    expect(same.fitRange!.factor).toBeCloseTo(8 / 0.00026, 0);
    expect(same.fitWarning).toMatch(/fewer than the smallest model the fit covers/);
    // The catalogue's frontier model is inside the fitted sizes: no warning.
    const frontier = c.cloud.find((r) => r.key === 'frontier')!;
    expect(frontier).toMatchObject({ fitWarning: null, fitRange: null });

    const m = getRunFootprint(db, measured, null, footprintEstimator)!.comparison!;
    expect(m.local).toMatchObject({ basis: 'measured', window: translate('en', 'energy.window'), constantNote: null });
  });
});
