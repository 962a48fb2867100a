// Every forge type (f32, f16, q8_0, q4_0) read back by node-llama-cpp and run by llama.cpp: the tensor types,
// shapes and metadata are what was asked for, the file is the size announced before writing, the model
// generates, and llama.cpp's own dequantisation of our Q8_0 and Q4_0 blocks gives back the F32 model of the
// same seed (a wrong block layout gives an unrelated model: a cosine near 0).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaCompletion, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { countParameters, forgedFileBytes, forgeLlamaModel, type ForgeType, type LlamaShape } from '../../lib/forge/forgeLlamaModel';
import { loadLlama } from '../../lib/runner/loadLlama';
import { makeTempDir } from '../helpers/paths';

const dir = makeTempDir('forge-types');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Small, but every row a whole number of 32-value blocks and grouped-query attention (4 heads, 2 KV heads).
const SHAPE: LlamaShape = { vocab: 1000, embd: 128, layers: 2, heads: 4, kvHeads: 2, ff: 352, context: 512 };
const SEED = 7;

/** ggml's type ids and block sizes (ggml.h, ggml-common.h: block_q4_0 = fp16 + 16 bytes, block_q8_0 = fp16 + 32 bytes). */
const GGML = {
  F32: { id: 0, valuesPerBlock: 1, bytesPerBlock: 4 },
  F16: { id: 1, valuesPerBlock: 1, bytesPerBlock: 2 },
  Q4_0: { id: 2, valuesPerBlock: 32, bytesPerBlock: 18 },
  Q8_0: { id: 8, valuesPerBlock: 32, bytesPerBlock: 34 },
} as const;
type GgmlName = keyof typeof GGML;

/** The weights' type and the output matrix's (llama.cpp's quantizer keeps output above Q4_0: Q8_0 here). */
const EXPECTED: Record<ForgeType, { weights: GgmlName; output: GgmlName; fileType: number }> = {
  f32: { weights: 'F32', output: 'F32', fileType: 0 },
  f16: { weights: 'F16', output: 'F16', fileType: 1 },
  q8_0: { weights: 'Q8_0', output: 'Q8_0', fileType: 7 },
  q4_0: { weights: 'Q4_0', output: 'Q8_0', fileType: 2 },
};
const TYPES = Object.keys(EXPECTED) as ForgeType[];
const file = (type: ForgeType) => path.join(dir, `tiny-${type}.gguf`);

let llama: Llama;
beforeAll(async () => {
  for (const type of TYPES) forgeLlamaModel({ file: file(type), shape: SHAPE, type, seed: SEED });
  llama = await loadLlama();
});

describe.each(TYPES)('forge --type %s', (type) => {
  it('reads back with the tensor types, shapes and metadata asked for, at the size announced before writing', async () => {
    const info = await readGgufFileInfo(file(type));
    const tensors = info.fullTensorInfo!;
    expect(tensors).toHaveLength(2 + 9 * SHAPE.layers + 1);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const expectType = (name: string, ggml: GgmlName, dims: number[]) => {
      const t = byName.get(name)!;
      expect({ name, type: t.ggmlType, dims: t.dimensions.map(Number) }).toEqual({ name, type: GGML[ggml].id, dims });
    };
    const kv = (SHAPE.kvHeads * SHAPE.embd) / SHAPE.heads;
    expectType('token_embd.weight', EXPECTED[type].weights, [SHAPE.embd, SHAPE.vocab]);
    expectType('output.weight', EXPECTED[type].output, [SHAPE.embd, SHAPE.vocab]);
    expectType('output_norm.weight', 'F32', [SHAPE.embd]);
    for (let i = 0; i < SHAPE.layers; i++) {
      expectType(`blk.${i}.attn_norm.weight`, 'F32', [SHAPE.embd]);
      expectType(`blk.${i}.ffn_norm.weight`, 'F32', [SHAPE.embd]);
      expectType(`blk.${i}.attn_k.weight`, EXPECTED[type].weights, [SHAPE.embd, kv]);
      expectType(`blk.${i}.ffn_down.weight`, EXPECTED[type].weights, [SHAPE.ff, SHAPE.embd]);
    }
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(String(meta.general.name)).toMatch(/synthetic: random weights/);
    expect(meta.general.file_type).toBe(EXPECTED[type].fileType);
    expect(meta.wattbench).toMatchObject({ forge: { synthetic: true, seed: SEED } });
    expect(meta.llama).toMatchObject({ embedding_length: 128, block_count: 2, feed_forward_length: 352, context_length: 512, attention: { head_count: 4, head_count_kv: 2 } });

    // The file ends with the last tensor's data (ggml's block sizes), padded to the 32-byte alignment.
    const last = tensors[tensors.length - 1];
    const g = Object.values(GGML).find((x) => x.id === last.ggmlType)!;
    const lastBytes = (last.dimensions.map(Number).reduce((a, b) => a * b, 1) / g.valuesPerBlock) * g.bytesPerBlock;
    const size = fs.statSync(file(type)).size;
    expect(size).toBe(Math.ceil((Number(last.fileOffset) + lastBytes) / 32) * 32);
    expect(size).toBe(forgedFileBytes(SHAPE, type));
  });

  it('loads in llama.cpp and generates (1 thread)', async () => {
    const model = await llama.loadModel({ modelPath: file(type) });
    try {
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      let tokens = 0;
      await completion.generateCompletion('the cat sat', { maxTokens: 8, onToken: (t) => (tokens += t.length) });
      expect(tokens).toBeGreaterThan(0);
      await context.dispose();
      expect(model.fileInsights.totalParameters).toBe(countParameters(SHAPE));
    } finally {
      await model.dispose();
    }
  });
});

describe('quantised blocks as llama.cpp dequantises them', () => {
  /** The model's last hidden state for a text, computed by llama.cpp from the file's tensors. */
  async function embedding(type: ForgeType): Promise<readonly number[]> {
    const model = await llama.loadModel({ modelPath: file(type) });
    try {
      const context = await model.createEmbeddingContext({ contextSize: 256, threads: 1 });
      const { vector } = await context.getEmbeddingFor('the cat sat on the mat and then it ate');
      await context.dispose();
      return vector;
    } finally {
      await model.dispose();
    }
  }
  const cosine = (a: readonly number[], b: readonly number[]) => {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    return dot / Math.sqrt(na * nb);
  };

  it('are the F32 model of the same seed, within each type\'s rounding', async () => {
    const reference = await embedding('f32');
    // Measured: f16 ≈ 0.999999, q8_0 ≈ 0.9999, q4_0 ≈ 0.98; a swapped nibble or byte order gives ≈ 0.
    expect(cosine(reference, await embedding('f16'))).toBeGreaterThan(0.9999);
    expect(cosine(reference, await embedding('q8_0'))).toBeGreaterThan(0.999);
    expect(cosine(reference, await embedding('q4_0'))).toBeGreaterThan(0.95);
  });
});
