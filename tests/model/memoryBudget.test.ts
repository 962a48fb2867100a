// Which memory a model must fit in, and how the estimate of what it needs behaves, on the real tiny models.
import { describe, it, expect } from 'vitest';
import { readGgufFileInfo } from 'node-llama-cpp';
import fs from 'node:fs';
import { memoryBudget } from '../../lib/model/memoryBudget';
import { estimateModelMemory, MEMORY_OVERHEAD_BYTES } from '../../lib/model/estimateModelMemory';
import { RANDOM_MODEL, STORIES_MODEL } from '../helpers/paths';

const GIB = 1024 ** 3;

describe('memoryBudget', () => {
  it("is the largest discrete GPU's VRAM when there is one", () => {
    const budget = memoryBudget([{ name: 'NVIDIA A', vendor: 'NVIDIA', memoryBytes: 8 * GIB }, { name: 'NVIDIA B', vendor: 'NVIDIA', memoryBytes: 24 * GIB }], {});
    expect(budget).toEqual({ kind: 'VRAM', bytes: 24 * GIB, description: 'VRAM of NVIDIA B (total)' });
  });

  it('is the free RAM without a GPU, with an integrated carve-out, or with WATTBENCH_GPU=false', () => {
    for (const [gpus, env] of [
      [[], {}],
      [[{ name: 'AMD APU', vendor: 'AMD', memoryBytes: 512 * 1024 ** 2 }], {}],
      [[{ name: 'Apple Silicon integrated GPU', vendor: 'Apple' }], {}],
      [[{ name: 'NVIDIA B', vendor: 'NVIDIA', memoryBytes: 24 * GIB }], { WATTBENCH_GPU: 'false' }],
    ] as const) {
      const budget = memoryBudget(gpus, env);
      expect(budget.kind).toBe('free RAM');
      expect(budget.bytes).toBeGreaterThan(0);
    }
  });
});

describe('estimateModelMemory', () => {
  it('grows with the context by the KV cache alone, over the file and a fixed overhead', async () => {
    for (const model of [STORIES_MODEL, RANDOM_MODEL]) {
      const info = await readGgufFileInfo(model, { logWarnings: false });
      const size = fs.statSync(model).size;
      const at2k = estimateModelMemory(info, size, 2048)!;
      const at4k = estimateModelMemory(info, size, 4096)!;
      expect(at2k.kvCacheBytes).toBeGreaterThan(0);
      expect(at4k.kvCacheBytes).toBe(2 * at2k.kvCacheBytes);
      expect(at4k.neededBytes - at2k.neededBytes).toBe(at2k.kvCacheBytes);
      expect(at2k.neededBytes).toBe(size + at2k.kvCacheBytes + MEMORY_OVERHEAD_BYTES);
    }
  });
});
