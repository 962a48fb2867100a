import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCompareData } from '../../lib/queries/getCompareData';
import { addEnergy, addHardware, addModel, addRun, makeDb } from './fixtureDb';

const fx = makeDb('compare');
const { db } = fx;
let ids: Record<string, number> = {};

beforeAll(() => {
  const old = addHardware(db, { hostname: 'old' });
  const here = addHardware(db, { hostname: 'here' });
  const a = addModel(db, { fileName: 'A.gguf' });
  const b = addModel(db, { fileName: 'B.gguf' });
  const c = addModel(db, { fileName: 'C.gguf' });
  ids = { old, here, a, b, c };
  ids.oldRun = addRun(db, a, old, { startedAt: 10, genTokensPerSec: 5, ttftMs: 100, joulesPerToken: 1 });
  // Three runs of A here: median 100 tok/s; one of B with its own σ in the summary; C only in another suite.
  ids.a1 = addRun(db, a, here, { startedAt: 20, genTokensPerSec: 90, ttftMs: 10, joulesPerToken: 0.2, energySource: 'rapl' });
  ids.a2 = addRun(db, a, here, { startedAt: 21, genTokensPerSec: 100, ttftMs: 12, joulesPerToken: 0.3, energySource: 'rapl' });
  ids.a3 = addRun(db, a, here, { startedAt: 22, genTokensPerSec: 140, ttftMs: 11, joulesPerToken: 0.25, energySource: 'rapl' });
  ids.b1 = addRun(db, b, here, {
    startedAt: 23,
    genTokensPerSec: 40,
    ttftMs: 30,
    joulesPerToken: null,
    summary: {
      metrics: { genTokensPerSec: { mean: 40, sd: 3, median: 40, min: 37, max: 43, n: 4 }, ttftMs: null, promptTokensPerSec: null, interTokenMs: null, e2eMs: null },
      prompts: [],
      totalOutputTokens: 0,
      totalPromptTokens: 0,
      energy: null,
    },
  });
  ids.failedB = addRun(db, b, here, { startedAt: 24, status: 'failed' });
  ids.c1 = addRun(db, c, here, { startedAt: 25, suite: 'standard', genTokensPerSec: 7 });
  addEnergy(db, ids.a1, { boundary: 'cpu-package' });
  addEnergy(db, ids.a2, { boundary: 'dram', domain: 'dram' });
});
afterAll(() => fx.cleanup());

describe('getCompareData', () => {
  it('defaults to the models of the newest completed run’s machine and suite', () => {
    const d = getCompareData(db, { mode: 'models', hardwareId: null, suite: null, modelIds: [] });
    expect(d.selection).toEqual({ mode: 'models', hardwareId: ids.here, suite: 'standard', modelIds: [ids.c] });
    expect(d.suites).toEqual(['standard', 'smoke']);
    expect(d.machines.map((m) => m.id)).toEqual([ids.here, ids.old]);
  });

  it('aggregates each model’s completed runs on one machine: median and σ over runs', () => {
    const d = getCompareData(db, { mode: 'models', hardwareId: ids.here, suite: 'smoke', modelIds: [] });
    expect(d.models.map((m) => [m.label, m.runCount])).toEqual([
      ['A', 3],
      ['B', 1],
    ]);
    const [b, a] = [d.items.find((i) => i.label === 'B')!, d.items.find((i) => i.label === 'A')!];
    expect(a.genTokensPerSec?.value).toBe(100);
    expect(a.genTokensPerSec?.sd).toBeCloseTo(26.4575, 3);
    expect(a.joulesPerToken?.value).toBe(0.25);
    expect(a.energySource).toBe('rapl');
    expect(a.energyBoundaries).toEqual(['cpu-package', 'dram']);
    expect(a.runIds.sort()).toEqual([ids.a1, ids.a2, ids.a3].sort());
    // A single run keeps its σ over repetitions; missing energy stays missing.
    expect(b.genTokensPerSec).toEqual({ value: 40, sd: 3 });
    expect(b.joulesPerToken).toBeNull();
    expect(b.energySource).toBeNull();
    expect(d.sameMachine).toBe(true);
  });

  it('keeps only chosen models that ran there', () => {
    const d = getCompareData(db, { mode: 'models', hardwareId: ids.here, suite: 'smoke', modelIds: [ids.b, ids.c] });
    expect(d.items.map((i) => i.label)).toEqual(['B']);
  });

  it('compares chosen runs in the order given, across machines', () => {
    const d = getCompareData(db, { mode: 'runs', runIds: [ids.a3, 999, ids.oldRun] });
    expect(d.selection).toEqual({ mode: 'runs', runIds: [ids.a3, ids.oldRun] });
    expect(d.items.map((i) => [i.label, i.genTokensPerSec?.value])).toEqual([
      [`#${ids.a3} A`, 140],
      [`#${ids.oldRun} A`, 5],
    ]);
    expect(d.sameMachine).toBe(false);
    expect(getCompareData(db, { mode: 'runs', runIds: [] }).items).toEqual([]);
  });
});
