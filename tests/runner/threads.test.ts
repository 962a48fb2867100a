// Threads by measurement, on a real model: phases switch thread counts between decodes, the calibration is
// measured once and cached per machine, build and size class, and --threads always wins.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { loadLlama } from '../../lib/runner/loadLlama';
import { measureRepetition } from '../../lib/runner/measureRepetition';
import { chooseThreads } from '../../lib/runner/chooseThreads';
import { fastest, modelSizeClass, threadCandidates } from '../../lib/runner/calibrateThreads';
import { supportsPhaseThreads } from '../../lib/runner/contextThreads';
import { describeEngine } from '../../lib/engine/describeEngine';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { openDb, type Db } from '../../lib/db/openDb';
import { threadCalibrations } from '../../lib/db/schema';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';

describe('thread counts per phase and their calibration', () => {
  const dir = makeTempDir('threads');
  let model: LlamaModel;
  let context: LlamaContext;
  let sequence: LlamaContextSequence;
  let db: Db;

  beforeAll(async () => {
    const llama = await loadLlama();
    model = await llama.loadModel({ modelPath: STORIES_MODEL, gpuLayers: 0 });
    context = await model.createContext({ contextSize: 512, threads: 1 });
    sequence = context.getSequence();
    db = openDb(path.join(dir, 'calibration.db'));
  });
  afterAll(async () => {
    db.$client.close();
    await context.dispose();
    await model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs prompt processing and generation with their own thread counts (node-llama-cpp's loop)", async () => {
    expect(supportsPhaseThreads(context)).toBe(true);
    const seen: number[] = [];
    const tokens = model.tokenize('Once upon a time', false);
    const m = await measureRepetition({
      model, sequence, tokens: [model.tokens.bos!, ...tokens], maxTokens: 8, ignoreEos: true, temperature: 0, seed: 1,
      threads: { prompt: 2, gen: 1 },
      generationLoop: null,
      // Read from llama.cpp itself: the count the last decode ran with.
      onTokens: () => void seen.push(context.currentThreads),
    });
    expect(m.outputTokens).toBe(8);
    // The first token comes out of the prompt's decode; every later one from a single-token decode.
    expect(seen[0]).toBe(2);
    expect(new Set(seen.slice(1))).toEqual(new Set([1]));
    // And back: the next repetition's prompt runs with the prompt count again.
    const again: number[] = [];
    await measureRepetition({ model, sequence, tokens: [model.tokens.bos!, ...tokens], maxTokens: 3, ignoreEos: true, temperature: 0, seed: 1, threads: { prompt: 2, gen: 1 }, generationLoop: null, onTokens: () => void again.push(context.currentThreads) });
    expect(again).toEqual([2, 1, 1]);
  });

  it('the native generation loop runs with the generation count, and the next prompt with the prompt count', async () => {
    // llama.cpp's own count, read through node-llama-cpp's native context (what the last decode was set to).
    const llamaThreads = (): number => (context as unknown as { _ctx: { getThreads(): number } })._ctx.getThreads();
    const tokens = [model.tokens.bos!, ...model.tokenize('Once upon a time', false)];
    // Generation with more threads than prompts: node-llama-cpp's decodes would never set 2 after the prompt's 1.
    const m = await measureRepetition({ model, sequence, tokens, maxTokens: 6, ignoreEos: true, temperature: 0, seed: 1, threads: { prompt: 1, gen: 2 } });
    expect(m.outputTokens).toBe(6);
    expect(llamaThreads()).toBe(2);
    const seen: number[] = [];
    await measureRepetition({ model, sequence, tokens, maxTokens: 1, ignoreEos: true, temperature: 0, seed: 1, threads: { prompt: 1, gen: 2 }, onTokens: () => void seen.push(llamaThreads()) });
    expect(seen).toEqual([1]);
  });

  it('calibrates once, stores the measurements, then reuses them for models of the same size class', async () => {
    const hardware = await detectHardware();
    const engine = describeEngine(await loadLlama());
    const common = { db, requested: 'auto' as const, hardware, engine, model, modelFile: { fileName: 'stories260K.gguf', sizeBytes: fs.statSync(STORIES_MODEL).size }, sequence, seed: 7 };
    const tried: number[] = [];
    const first = await chooseThreads({ ...common, onCalibrate: (n) => void tried.push(n) });
    expect(first.origin).toBe('calibrated');
    expect(tried).toEqual(threadCandidates(hardware));
    expect(first.measurements!.map((m) => m.threads)).toEqual(tried);
    for (const m of first.measurements!) {
      expect(m.promptTokensPerSec).toBeGreaterThan(0);
      expect(m.genTokensPerSec).toBeGreaterThan(0);
    }
    // The choice is the rule applied to what was measured, not a fixed count.
    expect(first.prompt).toBe(fastest(first.measurements!, (m) => m.promptTokensPerSec));
    expect(first.gen).toBe(fastest(first.measurements!, (m) => m.genTokensPerSec));
    expect(first.reason).toMatch(/^prompt \d+ threads? \(.+tok\/s.*\), generation \d+ threads? \(.+\): calibrated now on this model$/);

    const rows = db.select().from(threadCalibrations).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ hardwareFingerprint: hardware.fingerprint, buildId: engine.buildId, sizeClass: modelSizeClass(common.modelFile.sizeBytes), promptThreads: first.prompt, genThreads: first.gen });

    // Another file of the same size class: no new measurement.
    const second = await chooseThreads({ ...common, modelFile: { fileName: 'other.gguf', sizeBytes: common.modelFile.sizeBytes + 1 }, onCalibrate: () => expect.unreachable('calibrated twice') });
    expect(second).toMatchObject({ origin: 'cached', prompt: first.prompt, gen: first.gen, measurements: first.measurements });
    expect(second.reason).toContain('calibrated on stories260K.gguf');

    const flag = await chooseThreads({ ...common, requested: 3 });
    expect(flag).toMatchObject({ origin: 'flag', prompt: 3, gen: 3, measurements: null });
  });
});

describe('calibration rules', () => {
  it('tries 1, the powers of two below the cores, cores − 1, the cores and the logical CPUs', () => {
    expect(threadCandidates({ cpuCores: 1, cpuThreads: 1 })).toEqual([1]);
    expect(threadCandidates({ cpuCores: 2, cpuThreads: 2 })).toEqual([1, 2]);
    expect(threadCandidates({ cpuCores: 8, cpuThreads: 16 })).toEqual([1, 2, 4, 7, 8, 16]);
    expect(threadCandidates({ cpuCores: 64, cpuThreads: 128 })).toHaveLength(8);
  });

  it('prefers fewer threads within 3 % of the fastest', () => {
    const m = [
      { threads: 1, promptTokensPerSec: 100, genTokensPerSec: 50 },
      { threads: 2, promptTokensPerSec: 190, genTokensPerSec: 49 },
      { threads: 4, promptTokensPerSec: 195, genTokensPerSec: 30 },
    ];
    expect(fastest(m, (x) => x.promptTokensPerSec)).toBe(2);
    expect(fastest(m, (x) => x.genTokensPerSec)).toBe(1);
  });

  it('classes model sizes on a ×4 scale', () => {
    const MB = 1024 * 1024;
    expect(modelSizeClass(1.2 * MB)).toBe('< 16 MB');
    expect(modelSizeClass(300 * MB)).toBe('256 MB–1 GB');
    expect(modelSizeClass(4.5 * 1024 * MB)).toBe('4 GB–16 GB');
    expect(modelSizeClass(100 * 1024 * MB)).toBe('≥ 64 GB');
  });
});
