// A synthetic llama-architecture GGUF of a chosen size: random weights, a small built-in tokenizer, and a name
// and metadata that say it is synthetic. Its compute and memory traffic per token equal a real model's of the
// same shape, so it measures a machine's speed and energy for that size without downloading anything.
import fs from 'node:fs';
import path from 'node:path';
import { formatParameterCount } from '../format/numbers';
import { mulberry32 } from '../stats/mulberry32';
import { encodeTensorData } from './encodeTensorData';
import { blockValues, GgmlType, ggufFileBytes, tensorBytes, writeGguf, writeGgufAsync, type GgmlTypeId, type MetadataValue, type TensorSpec } from './ggufWriter';

export interface LlamaShape {
  vocab: number;
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ff: number;
  context: number;
}

export type ForgeType = 'f32' | 'f16' | 'q8_0' | 'q4_0';
export const FORGE_TYPES: readonly ForgeType[] = ['f32', 'f16', 'q8_0', 'q4_0'];

/**
 * The ggml type of each kind of tensor, as llama.cpp's quantizer chooses them: norms stay F32; the token
 * embedding takes the model's type; the output matrix too, except for Q4_0, where llama-quantize writes Q6_K
 * (a k-quant this forge does not write) and we write Q8_0, its own choice when a row is not a multiple of 256.
 */
export function tensorTypes(type: ForgeType): { weights: GgmlTypeId; output: GgmlTypeId } {
  switch (type) {
    case 'f32': return { weights: GgmlType.F32, output: GgmlType.F32 };
    case 'f16': return { weights: GgmlType.F16, output: GgmlType.F16 };
    case 'q8_0': return { weights: GgmlType.Q8_0, output: GgmlType.Q8_0 };
    case 'q4_0': return { weights: GgmlType.Q4_0, output: GgmlType.Q8_0 };
  }
}

/** llama.cpp's general.file_type (enum llama_ftype) of each forge type. */
const FILE_TYPE: Record<ForgeType, number> = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 };

const EMBD_LADDER = [64, 128, 192, 256, 384, 512, 640, 768, 896, 1024, 1280, 1536, 2048, 2560, 3072, 4096, 5120, 6144, 8192];
const VOCAB = 32_000;

/** Shape of one width: 64-wide heads, grouped KV heads (a quarter) from 8 heads up, SwiGLU feed-forward of ≈ 8/3 · width. */
export function shapeOfWidth(embd: number, layers: number): LlamaShape {
  const heads = Math.max(1, Math.round(embd / 64));
  const ff = Math.ceil((embd * 8) / 3 / 32) * 32;
  return { vocab: VOCAB, embd, layers, heads, kvHeads: defaultKvHeads(heads), ff, context: 4096 };
}

/** The largest divisor of the heads up to a quarter of them from 8 heads up, else all (llama.cpp needs heads to be a multiple of KV heads). */
export function defaultKvHeads(heads: number): number {
  if (heads < 8) return heads;
  let kvHeads = Math.floor(heads / 4);
  while (heads % kvHeads !== 0) kvHeads--;
  return kvHeads;
}

/** The largest head count up to `wanted` that splits `embd` into heads of an even size (1 when embd is even, else none fits). */
export function validHeads(embd: number, wanted: number): number {
  let h = Math.max(1, wanted);
  while (h > 1 && (embd % h !== 0 || (embd / h) % 2 !== 0)) h--;
  return h;
}

/**
 * What makes a shape unloadable or unwritable for a type, as one sentence naming the flag and the fix; null
 * when it is fine. llama.cpp needs whole heads, KV heads dividing the heads and an even head size (RoPE);
 * Q8_0 and Q4_0 need every row (--embd, and --ff for the down projection) to be whole 32-value blocks.
 */
export function shapeProblem(s: LlamaShape, type: ForgeType): string | null {
  if (validHeads(s.embd, s.heads) !== s.heads) {
    return `--heads ${s.heads} must divide --embd ${s.embd} into heads of an even size (RoPE rotates pairs): use --heads ${validHeads(s.embd, s.heads)}, or an --embd that is a multiple of 2 x ${s.heads}`;
  }
  if (s.kvHeads > s.heads || s.heads % s.kvHeads !== 0) return `--kv-heads ${s.kvHeads} does not divide --heads ${s.heads}: pick a divisor of the head count (e.g. ${defaultKvHeads(s.heads)})`;
  const block = blockValues(tensorTypes(type).weights);
  for (const [flag, value] of [['--embd', s.embd], ['--ff', s.ff]] as const) {
    if (value % block !== 0) {
      return `--type ${type} stores rows in blocks of ${block} values and ${flag} ${value} is not a multiple of ${block}: use ${flag} ${Math.max(block, Math.round(value / block) * block)} or --type f16`;
    }
  }
  return null;
}

/** Parameters of a shape, counting untied input and output embeddings and the norms. */
export function countParameters(s: LlamaShape): number {
  const headDim = s.embd / s.heads;
  const kv = s.kvHeads * headDim;
  const perLayer = 2 * s.embd * s.embd + 2 * s.embd * kv + 3 * s.embd * s.ff + 2 * s.embd;
  return 2 * s.vocab * s.embd + s.layers * perLayer + s.embd;
}

/**
 * The shape for a parameter count: the widest model whose depth is at least width/64 (and 4), as llama-family
 * models of that size are built: 25M → 256 wide × 11 layers, 110M → 640 × 14, 350M → 1,024 × 26, 1B → 1,536 × 36.
 */
export function shapeForParameters(target: number): LlamaShape {
  let chosen: LlamaShape | null = null;
  // Where no width has a depth in range (a gap near 20B, or beyond ~26B), the nearest shape with its depth clamped.
  let nearest: LlamaShape | null = null;
  for (const embd of EMBD_LADDER) {
    const one = shapeOfWidth(embd, 1);
    const perLayer = countParameters(one) - countParameters({ ...one, layers: 0 });
    const minLayers = Math.max(4, embd / 64);
    const layers = Math.round((target - countParameters({ ...one, layers: 0 })) / perLayer);
    if (layers >= minLayers && layers <= 96) chosen = shapeOfWidth(embd, layers);
    const clamped = shapeOfWidth(embd, Math.min(96, Math.max(minLayers, layers)));
    if (minLayers <= 96 && (!nearest || Math.abs(countParameters(clamped) - target) < Math.abs(countParameters(nearest) - target))) nearest = clamped;
  }
  return chosen ?? nearest ?? shapeOfWidth(64, 4);
}

/** "25M", "110M", "1.5B" → parameters. */
export function parseParameterCount(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMB])$/i.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * { K: 1e3, M: 1e6, B: 1e9 }[m[2].toUpperCase() as 'K' | 'M' | 'B'];
}

/** SentencePiece-style vocabulary: unknown, BOS, EOS, the 256 byte tokens, then letter pieces by decreasing score. */
export function builtInVocabulary(size: number): { tokens: string[]; scores: Float32Array; types: Int32Array } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const seen = new Set(tokens);
  // Pieces in order of length: "▁e", "e", "▁t", …, then two letters, and so on until the vocabulary is full.
  const queue: string[] = [...letters];
  // A read index, not shift(): shifting a queue of 10⁴–10⁵ pieces is quadratic (seconds for 32,000 tokens).
  for (let next = 0; tokens.length < size && next < queue.length; next++) {
    const piece = queue[next];
    for (const candidate of [`▁${piece}`, piece]) {
      if (tokens.length >= size || seen.has(candidate)) continue;
      seen.add(candidate);
      tokens.push(candidate);
      types.push(1);
    }
    if (piece.length < 4) for (const l of letters) queue.push(piece + l);
  }
  const scores = new Float32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) scores[i] = types[i] === 1 ? -i : 0;
  return { tokens, scores, types: Int32Array.from(types) };
}

export function llamaTensors(s: LlamaShape, type: ForgeType): TensorSpec[] {
  const { weights: w, output } = tensorTypes(type);
  const kv = s.kvHeads * (s.embd / s.heads);
  const tensors: TensorSpec[] = [{ name: 'token_embd.weight', dims: [s.embd, s.vocab], type: w }];
  for (let i = 0; i < s.layers; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [s.embd], type: GgmlType.F32 },
      { name: `blk.${i}.attn_q.weight`, dims: [s.embd, s.embd], type: w },
      { name: `blk.${i}.attn_k.weight`, dims: [s.embd, kv], type: w },
      { name: `blk.${i}.attn_v.weight`, dims: [s.embd, kv], type: w },
      { name: `blk.${i}.attn_output.weight`, dims: [s.embd, s.embd], type: w },
      { name: `blk.${i}.ffn_norm.weight`, dims: [s.embd], type: GgmlType.F32 },
      { name: `blk.${i}.ffn_gate.weight`, dims: [s.embd, s.ff], type: w },
      { name: `blk.${i}.ffn_up.weight`, dims: [s.embd, s.ff], type: w },
      { name: `blk.${i}.ffn_down.weight`, dims: [s.ff, s.embd], type: w },
    );
  }
  tensors.push({ name: 'output_norm.weight', dims: [s.embd], type: GgmlType.F32 }, { name: 'output.weight', dims: [s.embd, s.vocab], type: output });
  return tensors;
}

export interface ForgeOptions {
  file: string;
  shape: LlamaShape;
  type: ForgeType;
  seed?: number;
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

export interface ForgeResult {
  parameters: number;
  /** Bytes of tensor data. */
  bytes: number;
  /** Bytes of the whole file (header, tensor data, alignment padding). */
  fileBytes: number;
  name: string;
}

interface ForgePlan {
  metadata: Array<[string, MetadataValue]>;
  tensors: TensorSpec[];
  result: ForgeResult;
  /** Each tensor's bytes in chunks of about 1 Mi values, from one seeded stream of random values. */
  chunks(tensor: TensorSpec): Iterable<Uint8Array>;
}

function planForge(opts: Omit<ForgeOptions, 'file'>): ForgePlan {
  const s = opts.shape;
  const problem = shapeProblem(s, opts.type);
  if (problem) throw new Error(problem);
  const parameters = countParameters(s);
  const name = `wattbench-forge ${formatParameters(parameters)} ${opts.type.toUpperCase()} (synthetic: random weights, not a language model)`;
  const vocab = builtInVocabulary(s.vocab);
  const seed = opts.seed ?? 42;
  const metadata: Array<[string, MetadataValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: name }],
    ['general.description', { type: 'string', value: 'Synthetic model forged by wattbench: random weights and a built-in tokenizer. Its speed and energy per token are those of a real model of this shape and type; its text is gibberish.' }],
    ['general.file_type', { type: 'u32', value: FILE_TYPE[opts.type] }],
    ['general.alignment', { type: 'u32', value: 32 }],
    ['wattbench.forge.synthetic', { type: 'bool', value: true }],
    ['wattbench.forge.seed', { type: 'u32', value: seed }],
    ['llama.context_length', { type: 'u32', value: s.context }],
    ['llama.embedding_length', { type: 'u32', value: s.embd }],
    ['llama.block_count', { type: 'u32', value: s.layers }],
    ['llama.feed_forward_length', { type: 'u32', value: s.ff }],
    ['llama.attention.head_count', { type: 'u32', value: s.heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: s.kvHeads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: s.embd / s.heads }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: vocab.tokens.length }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
  ];
  const tensors = llamaTensors({ ...s, vocab: vocab.tokens.length }, opts.type);
  const total = tensors.reduce((a, t) => a + tensorBytes(t), 0);
  // xorshift32, seeded from mulberry32: inlined in the loop below, 4x faster than a closure call per value.
  let state = Math.floor(mulberry32(seed)() * 0xffffffff) | 1;
  let done = 0;
  function* chunks(t: TensorSpec): Iterable<Uint8Array> {
    const count = t.dims.reduce((a, b) => a * b, 1);
    // Norm weights are ones (activations keep their scale); matrices uniform in ±1/√fan-in. The same values
    // whatever the type: a Q8_0 model is the F32 model of the same seed, quantised.
    const isNorm = t.dims.length === 1;
    const scale = isNorm ? 0 : 1 / Math.sqrt(t.dims[0]);
    const CHUNK = 1 << 20; // a multiple of 32: quantisation blocks never straddle two chunks
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      const values = new Float32Array(n);
      if (isNorm) values.fill(1);
      else {
        let x = state;
        for (let i = 0; i < n; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          values[i] = ((x >>> 0) * (2 / 4294967296) - 1) * scale;
        }
        state = x;
      }
      const bytes = encodeTensorData(values, t.type);
      done += bytes.byteLength;
      yield bytes;
      opts.onProgress?.(done, total);
    }
  }
  return { metadata, tensors, chunks, result: { parameters, bytes: total, fileBytes: ggufFileBytes(metadata, tensors), name } };
}

/** Size of the file a forge writes, known before writing (for a disk-space check). Throws on a shape shapeProblem refuses. */
export function forgedFileBytes(shape: LlamaShape, type: ForgeType): number {
  return planForge({ shape, type }).result.fileBytes;
}

/** Where a forge writes before renaming to `file`: hidden, in the same folder, never taken for a model (findLocalModel skips ".partial"). */
export function partialPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
}

/**
 * Writes the model, streaming: memory stays at one chunk whatever the size. The file appears whole or not at
 * all (written beside it, then renamed).
 */
export function forgeLlamaModel(opts: ForgeOptions): ForgeResult {
  const plan = planForge(opts);
  const partial = partialPath(opts.file);
  try {
    writeGguf(partial, plan.metadata, plan.tensors, (t, write) => {
      for (const chunk of plan.chunks(t)) write(chunk);
    });
    fs.renameSync(partial, opts.file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  return plan.result;
}

/**
 * forgeLlamaModel, yielding to the event loop between chunks so that `signal` (a Ctrl-C) can stop it: then the
 * partial file is removed and the AbortSignal's reason is thrown, leaving nothing behind.
 */
export async function forgeLlamaModelAsync(opts: ForgeOptions & { signal?: AbortSignal }): Promise<ForgeResult> {
  const plan = planForge(opts);
  const partial = partialPath(opts.file);
  try {
    await writeGgufAsync(partial, plan.metadata, plan.tensors, plan.chunks, opts.signal);
    opts.signal?.throwIfAborted();
    await fs.promises.rename(partial, opts.file);
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
  return plan.result;
}

/** "25.3M", "1.10B". */
/** The parameter count as the forge's names and messages write it. */
export function formatParameters(n: number): string {
  return formatParameterCount(n, 'en');
}
