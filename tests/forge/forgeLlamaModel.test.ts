// The forge: a synthetic llama GGUF written by our own writer loads and generates in llama.cpp (through the
// real CLI), and what llama.cpp's loader and node-llama-cpp read back is the shape and size we wrote.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GgufInsights, readGgufFileInfo } from 'node-llama-cpp';
import { builtInVocabulary, countParameters, forgeLlamaModel, parseParameterCount, shapeForParameters, type LlamaShape } from '../../lib/forge/forgeLlamaModel';
import { tensorBytes } from '../../lib/forge/ggufWriter';
import { makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';

const dir = makeTempDir('forge');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SMALL: LlamaShape = { vocab: 3000, embd: 128, layers: 3, heads: 2, kvHeads: 1, ff: 352, context: 2048 };

describe('forgeLlamaModel', () => {
  it.each(['f32', 'f16'] as const)('writes a %s GGUF whose metadata and tensors read back as written', async (type) => {
    const file = path.join(dir, `small-${type}.gguf`);
    const result = forgeLlamaModel({ file, shape: SMALL, type });
    const info = await readGgufFileInfo(file);
    const insights = await GgufInsights.from(info);
    expect(insights.totalParameters).toBe(countParameters(SMALL));
    expect(result.parameters).toBe(countParameters(SMALL));
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(meta.general.architecture).toBe('llama');
    expect(String(meta.general.name)).toMatch(/synthetic/);
    expect(meta.llama).toMatchObject({ embedding_length: 128, block_count: 3, feed_forward_length: 352, context_length: 2048 });
    expect(info.fullTensorInfo).toHaveLength(2 + 9 * SMALL.layers + 1);
    // Header, then every tensor at a 32-byte aligned offset: the file is exactly that long.
    const last = info.fullTensorInfo![info.fullTensorInfo!.length - 1];
    expect(fs.statSync(file).size).toBe(Number(last.fileOffset) + tensorBytes({ dims: last.dimensions.map(Number), type: type === 'f16' ? 1 : 0 }));
  });

  it('loads and generates through wattbench run (pp-tg: 512 prompt tokens, then exactly 128 generated)', async () => {
    const file = path.join(dir, 'small-f16.gguf');
    const res = await runCli(['run', '--model', file, '--suite', 'pp-tg', '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', path.join(dir, 'runs.db'), '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.model).toMatchObject({ architecture: 'llama', parameters: countParameters(SMALL), type: 'F16' });
    const tg = json.results.find((r: { promptId: string }) => r.promptId === 'tg128');
    expect(tg.outputTokens).toBe(128);
    expect(json.summary.genTokensPerSec.mean).toBeGreaterThan(0);
  });

  it('chooses llama-family shapes for a parameter count, within 10 % of it', () => {
    for (const text of ['25M', '110M', '350M', '1B', '7B']) {
      const target = parseParameterCount(text)!;
      const shape = shapeForParameters(target);
      expect(Math.abs(countParameters(shape) - target) / target).toBeLessThan(0.1);
      expect(shape.layers).toBeGreaterThanOrEqual(Math.max(4, shape.embd / 64));
      expect(shape.embd % shape.heads).toBe(0);
      expect(shape.heads % shape.kvHeads).toBe(0);
    }
    // Where no width has a depth from width/64 to 96 layers (a gap near 20B, and the top of forge's range):
    // the nearest such shape, never a toy one.
    for (const target of [20e9, 26e9]) expect(Math.abs(countParameters(shapeForParameters(target)) - target) / target).toBeLessThan(0.15);
    expect(parseParameterCount('1.5B')).toBe(1.5e9);
    expect(parseParameterCount('big')).toBeNull();
  });

  it('builds a vocabulary of the size asked, every token distinct, special and byte tokens first', () => {
    const v = builtInVocabulary(32000);
    expect(v.tokens).toHaveLength(32000);
    expect(new Set(v.tokens).size).toBe(32000);
    expect(v.tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect([...v.types.slice(0, 3)]).toEqual([2, 3, 3]);
  });
});
