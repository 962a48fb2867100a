import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRunDetail } from '../../lib/queries/getRunDetail';
import { addEnergy, addHardware, addModel, addResult, addRun, makeDb } from './fixtureDb';

const fx = makeDb('detail');
const { db } = fx;
let runId = 0;
let bareRunId = 0;

beforeAll(() => {
  const hw = addHardware(db, { hostname: 'box' });
  const model = addModel(db, { name: 'stories260K', fileName: 'stories260K.gguf', parameters: 260_000 });
  runId = addRun(db, model, hw, {
    settings: { promptCount: 2, power: 'rapl' },
    runtime: { backend: 'cpu' },
    reps: 3,
    summary: {
      // Figures that disagree with the results: the page computes its own from the results, like `wattbench show`.
      metrics: { genTokensPerSec: { mean: 111, sd: 1, median: 111, min: 110, max: 112, n: 6 }, ttftMs: null, promptTokensPerSec: null, interTokenMs: null, e2eMs: null },
      prompts: [
        { promptIndex: 1, promptId: 'capital', title: 'Capital of France', metrics: { ttftMs: null, promptTokensPerSec: null, genTokensPerSec: null, interTokenMs: null, e2eMs: null }, promptTokens: 10, outputTokens: null, energyJ: null },
      ],
      totalOutputTokens: 0,
      totalPromptTokens: 0,
      energy: null,
    },
  });
  for (const rep of [0, 1, 2]) {
    const r0 = addResult(db, runId, { promptId: 'hello', promptIndex: 0, rep, ttftMs: 10 + rep * 2, genTokensPerSec: 100 + rep * 10, outputTokens: 30, energyJ: 1 + rep, output: rep === 0 ? '<script>alert(1)</script> & <b>bold</b>' : 'later' });
    addEnergy(db, runId, { resultId: r0, joules: 1 });
    addResult(db, runId, { promptId: 'capital', promptIndex: 1, rep, ttftMs: 20, genTokensPerSec: 50, energyJ: null, stopReason: rep === 2 ? 'max-tokens' : 'eog', output: 'x'.repeat(5000) });
  }
  addEnergy(db, runId, { source: 'rapl', domain: 'package-0', boundary: 'cpu-package', joules: 80 });
  addEnergy(db, runId, { source: 'rapl', domain: 'dram', boundary: 'dram', joules: 20 });
  bareRunId = addRun(db, model, hw, { status: 'running', endedAt: null });
});
afterAll(() => fx.cleanup());

describe('getRunDetail', () => {
  it('returns null for an unknown run', () => {
    expect(getRunDetail(db, 424242)).toBeNull();
  });

  it('gives each prompt mean ± σ over its repetitions', () => {
    const d = getRunDetail(db, runId)!;
    expect(d.model.label).toBe('stories260K');
    expect(d.hardware.label).toBe('box · Intel Core i7-1185G7');
    expect(d.prompts.map((p) => [p.promptIndex, p.promptId, p.title, p.n])).toEqual([
      [0, 'hello', null, 3],
      [1, 'capital', 'Capital of France', 3],
    ]);
    const [hello, capital] = d.prompts;
    expect(hello.genTokensPerSec).toMatchObject({ mean: 110, sd: 10, min: 100, max: 120, n: 3 });
    expect(hello.ttftMs?.mean).toBeCloseTo(12);
    expect(hello.energyJ).toMatchObject({ mean: 2, n: 3 });
    expect(capital.energyJ).toBeNull();
    expect(capital.stopReasons).toEqual({ eog: 2, 'max-tokens': 1 });
  });

  it('keeps the first output verbatim (the page renders it as text) and truncates long ones', () => {
    const [hello, capital] = getRunDetail(db, runId)!.prompts;
    expect(hello.output).toBe('<script>alert(1)</script> & <b>bold</b>');
    expect(hello.outputTruncated).toBe(false);
    expect(capital.output).toHaveLength(4000);
    expect(capital.outputTruncated).toBe(true);
  });

  it('returns only whole-run energy rows, and the suite size', () => {
    const d = getRunDetail(db, runId)!;
    expect(d.energy.map((e) => [e.domain, e.joules])).toEqual([
      ['dram', 20],
      ['package-0', 80],
    ]);
    expect(d.promptCount).toBe(2);
    expect(d.resultCount).toBe(6);
    expect(d.run.settings).toEqual({ promptCount: 2, power: 'rapl' });
  });

  it('computes the overall figures from the results, whatever the stored summary says (one rule with the CLI)', () => {
    const d = getRunDetail(db, runId)!;
    // 100, 110, 120 (hello) and 50 × 3 (capital).
    expect(d.overall.genTokensPerSec).toMatchObject({ mean: 80, min: 50, max: 120, n: 6 });
    expect(d.overall.ttftMs?.n).toBe(6);
    expect(d.overall.e2eMs).toMatchObject({ mean: 210, n: 6 });
    const bare = getRunDetail(db, bareRunId)!;
    expect(bare.prompts).toEqual([]);
    expect(bare.overall.genTokensPerSec).toBeNull();
    expect(bare.energy).toEqual([]);
    expect(bare.promptCount).toBeNull();
  });
});
