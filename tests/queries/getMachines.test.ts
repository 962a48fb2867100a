import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMachines } from '../../lib/queries/getMachines';
import { addHardware, addModel, addRun, makeDb } from './fixtureDb';

const fx = makeDb('machines');
const { db } = fx;
let ids: Record<string, number> = {};

beforeAll(() => {
  const laptop = addHardware(db, { hostname: 'laptop', gpus: [{ name: 'RTX 4090', vendor: 'nvidia' }] });
  const pi = addHardware(db, { hostname: 'pi' });
  const unused = addHardware(db, { hostname: 'unused' });
  const tiny = addModel(db, { fileName: 'tiny.gguf' });
  const big = addModel(db, { fileName: 'big.gguf' });
  ids = { laptop, pi, unused, tiny, big };
  ids.l1 = addRun(db, tiny, laptop, { startedAt: 1, genTokensPerSec: 1000, ttftMs: 5, joulesPerToken: 0.05, energySource: 'rapl' });
  ids.l2 = addRun(db, big, laptop, { startedAt: 2, genTokensPerSec: 20, ttftMs: 80, joulesPerToken: 0.01, energySource: 'estimate' });
  ids.l3 = addRun(db, tiny, laptop, { startedAt: 3, status: 'failed', genTokensPerSec: 99_999 });
  ids.p1 = addRun(db, tiny, pi, { startedAt: 4, genTokensPerSec: 200, ttftMs: 30 });
});
afterAll(() => fx.cleanup());

describe('getMachines', () => {
  it('lists every machine, most recently used first, with its best completed results', () => {
    const d = getMachines(db, null);
    expect(d.machines.map((m) => m.hostname)).toEqual(['pi', 'laptop', 'unused']);
    const laptop = d.machines.find((m) => m.hostname === 'laptop')!;
    expect(laptop).toMatchObject({ runCount: 3, completedCount: 2, lastRunAt: 3, gpus: [{ name: 'RTX 4090', vendor: 'nvidia' }] });
    expect(laptop.bestGenTokensPerSec).toEqual({ value: 1000, runId: ids.l1, modelLabel: 'tiny', energySource: 'rapl' });
    expect(laptop.bestJoulesPerToken).toEqual({ value: 0.01, runId: ids.l2, modelLabel: 'big', energySource: 'estimate' });
    expect(laptop.bestTtftMs?.value).toBe(5);
    const pi = d.machines.find((m) => m.hostname === 'pi')!;
    expect(pi.bestJoulesPerToken).toBeNull();
    expect(d.machines.find((m) => m.hostname === 'unused')).toMatchObject({ runCount: 0, lastRunAt: null, bestGenTokensPerSec: null });
  });

  it('compares machines on the model run on the most machines, or the one asked for', () => {
    const d = getMachines(db, null);
    expect(d.modelId).toBe(ids.tiny);
    expect(d.onModel.map((m) => [m.label.split(' ')[0], m.genTokensPerSec?.value, m.joulesPerToken?.value ?? null])).toEqual([
      ['laptop', 1000, 0.05],
      ['pi', 200, null],
    ]);
    expect(getMachines(db, ids.big).onModel.map((m) => m.hardwareId)).toEqual([ids.laptop]);
    expect(getMachines(db, 12345).modelId).toBe(ids.tiny);
  });
});
