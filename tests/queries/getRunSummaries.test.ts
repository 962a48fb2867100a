import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRunFilterOptions, getRunSummaries } from '../../lib/queries/getRunSummaries';
import { parseRunFilters } from '../../lib/queries/params';
import { addEnergy, addHardware, addModel, addRun, makeDb } from './fixtureDb';

const fx = makeDb('summaries');
const { db } = fx;
let ids: Record<string, number> = {};

beforeAll(() => {
  const laptop = addHardware(db, { hostname: 'laptop', cpuModel: 'Intel(R) Core(TM) i5-1240P' });
  const desktop = addHardware(db, { hostname: 'desktop', cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor' });
  // The GGUF name is often generic: the label is the file name. The names sort the other way round from the
  // files ("a generic llama" < "big-q4" < "Tiny"), so sorting by name instead of the label shown is caught.
  const tiny = addModel(db, { name: 'a generic llama', fileName: 'Tiny.gguf' });
  const big = addModel(db, { name: null, fileName: 'big-q4.gguf' });
  ids = {
    laptop,
    desktop,
    tiny,
    big,
    fast: addRun(db, tiny, laptop, { startedAt: 100, genTokensPerSec: 900, ttftMs: 5, joulesPerToken: 0.02, energySource: 'rapl' }),
    slow: addRun(db, big, laptop, { startedAt: 200, genTokensPerSec: 9, ttftMs: 300, joulesPerToken: 2.5, energySource: 'estimate' }),
    unmeasured: addRun(db, big, desktop, { startedAt: 300, genTokensPerSec: 40, ttftMs: 50 }),
    failed: addRun(db, tiny, desktop, { status: 'failed', startedAt: 400, error: 'boom' }),
    stale: addRun(db, tiny, addHardware(db, { hostname: os.hostname() }), { status: 'running', startedAt: 500, pid: 999_999_999, endedAt: null }),
  };
  addEnergy(db, ids.fast, { boundary: 'dram', domain: 'dram' });
  addEnergy(db, ids.fast, { boundary: 'cpu-package' });
  addEnergy(db, ids.slow, { source: 'estimate', boundary: 'cpu-package', method: 'modelled' });
  addEnergy(db, ids.slow, { source: 'estimate', boundary: 'system', resultId: null, joules: 5 });
});
afterAll(() => fx.cleanup());

describe('getRunSummaries', () => {
  it('lists the newest runs first with model, machine and figures', () => {
    const page = getRunSummaries(db, parseRunFilters({}));
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.id)).toEqual([ids.stale, ids.failed, ids.unmeasured, ids.slow, ids.fast]);
    const fast = page.rows.find((r) => r.id === ids.fast)!;
    expect(fast).toMatchObject({ modelLabel: 'Tiny', hardwareLabel: 'laptop · Intel Core i5-1240P', genTokensPerSec: 900, energySource: 'rapl' });
    expect(fast.energyBoundaries).toEqual(['cpu-package', 'dram']);
    expect(page.rows.find((r) => r.id === ids.unmeasured)).toMatchObject({ modelLabel: 'big-q4', joulesPerToken: null, energySource: null, energyBoundaries: [] });
  });

  it('shows a "running" run whose process is gone as stale', () => {
    const row = getRunSummaries(db, parseRunFilters({})).rows.find((r) => r.id === ids.stale)!;
    expect(row.status).toBe('stale');
  });

  it('filters by model, machine and status', () => {
    expect(getRunSummaries(db, parseRunFilters({ model: String(ids.big) })).rows.map((r) => r.id)).toEqual([ids.unmeasured, ids.slow]);
    expect(getRunSummaries(db, parseRunFilters({ hw: String(ids.desktop) })).rows.map((r) => r.id)).toEqual([ids.failed, ids.unmeasured]);
    expect(getRunSummaries(db, parseRunFilters({ status: 'failed' })).rows.map((r) => r.id)).toEqual([ids.failed]);
    expect(getRunSummaries(db, parseRunFilters({ model: String(ids.tiny), status: 'completed' })).total).toBe(1);
  });

  it('sorts by any column with missing figures last in both directions', () => {
    const asc = getRunSummaries(db, parseRunFilters({ sort: 'jpt', dir: 'asc' })).rows.map((r) => r.id);
    expect(asc.slice(0, 2)).toEqual([ids.fast, ids.slow]);
    const desc = getRunSummaries(db, parseRunFilters({ sort: 'jpt', dir: 'desc' })).rows.map((r) => r.id);
    expect(desc.slice(0, 2)).toEqual([ids.slow, ids.fast]);
    expect(getRunSummaries(db, parseRunFilters({ sort: 'genTps' })).rows[0].id).toBe(ids.fast);
    expect(getRunSummaries(db, parseRunFilters({ sort: 'model', dir: 'asc' })).rows.map((r) => r.modelLabel)).toEqual(['big-q4', 'big-q4', 'Tiny', 'Tiny', 'Tiny']);
    expect(getRunSummaries(db, parseRunFilters({ sort: 'model', dir: 'desc' })).rows.map((r) => r.modelLabel)).toEqual(['Tiny', 'Tiny', 'Tiny', 'big-q4', 'big-q4']);
  });

  it('pages, clamping a page past the end', () => {
    const page = getRunSummaries(db, { ...parseRunFilters({}), pageSize: 2, page: 99 });
    expect(page).toMatchObject({ total: 5, page: 3, pageCount: 3 });
    expect(page.rows.map((r) => r.id)).toEqual([ids.fast]);
  });
});

describe('getRunFilterOptions', () => {
  it('offers the models and machines that have runs, with counts', () => {
    const o = getRunFilterOptions(db);
    expect(o.models).toEqual([
      { id: ids.big, label: 'big-q4', runCount: 2 },
      { id: ids.tiny, label: 'Tiny', runCount: 3 },
    ]);
    expect(o.hardware.map((h) => h.label)).toContain('desktop · AMD Ryzen 9 7950X');
  });
});

describe('getRunSummaries: energy basis beside J per token', () => {
  const bfx = makeDb('summaries-basis');
  afterAll(() => bfx.cleanup());

  it('says whether each run\'s energy is measured, estimated or mixed: the stored basis, else the counted rows\' methods', () => {
    const b = bfx.db;
    const hw = addHardware(b);
    const model = addModel(b);
    const run = (over: Parameters<typeof addRun>[3]) => addRun(b, model, hw, { joulesPerToken: 0.1, ...over });
    const measured = run({ energySource: 'rapl' });
    addEnergy(b, measured, { boundary: 'cpu-package' });
    // A sub-zone that does not count toward the total is not a second method.
    addEnergy(b, measured, { source: 'estimate', domain: 'dram', boundary: 'dram', method: 'modelled', countsTowardTotal: false });
    const estimated = run({ energySource: 'estimate' });
    addEnergy(b, estimated, { source: 'estimate', boundary: 'cpu-package', method: 'modelled' });
    const derivedMixed = run({ energySource: 'rapl+estimate' });
    addEnergy(b, derivedMixed, { boundary: 'cpu-package' });
    addEnergy(b, derivedMixed, { source: 'estimate', domain: 'dram', boundary: 'dram', method: 'modelled' });
    // The stored word wins over the rows (here a counter alone).
    const storedMixed = run({ energySource: 'rapl+estimate', energyBasis: 'mixed' });
    addEnergy(b, storedMixed, { boundary: 'cpu-package' });
    const storedEstimate = run({ energySource: 'estimate', energyBasis: 'estimate' });
    addEnergy(b, storedEstimate, { source: 'estimate', boundary: 'cpu-package', method: 'modelled' });
    const none = run({ joulesPerToken: null });

    const byId = new Map(getRunSummaries(b, parseRunFilters({})).rows.map((r) => [r.id, r]));
    expect(byId.get(measured)).toMatchObject({ energyBasis: 'measured', energyBoundaries: ['cpu-package'] });
    expect(byId.get(estimated)!.energyBasis).toBe('estimate');
    expect(byId.get(derivedMixed)).toMatchObject({ energyBasis: 'mixed', energyBoundaries: ['cpu-package', 'dram'] });
    expect(byId.get(storedMixed)!.energyBasis).toBe('mixed');
    expect(byId.get(storedEstimate)!.energyBasis).toBe('estimate');
    expect(byId.get(none)!.energyBasis).toBe('none');
  });
});
