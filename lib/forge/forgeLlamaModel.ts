// A synthetic llama-architecture GGUF of a chosen size: random weights, a small built-in tokenizer, and a name
// and metadata that say it is synthetic. Its compute and memory traffic per token equal a real model's of the
// same shape, so it measures a machine's speed and energy for that size without downloading anything.
import { mulberry32 } from '../stats/mulberry32';
import { GgmlType, tensorBytes, writeGguf, type MetadataValue, type TensorSpec } from './ggufWriter';

export interface LlamaShape {
  vocab: number;
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ff: number;
  context: number;
}

export type ForgeType = 'f32' | 'f16';

const EMBD_LADDER = [64, 128, 192, 256, 384, 512, 640, 768, 896, 1024, 1280, 1536, 2048, 2560, 3072, 4096, 5120, 6144, 8192];
const VOCAB = 32_000;

/** Shape of one width: 64-wide heads, grouped KV heads (a quarter) from 8 heads up, SwiGLU feed-forward of ≈ 8/3 · width. */
function shapeOfWidth(embd: number, layers: number): LlamaShape {
  const heads = Math.max(1, Math.round(embd / 64));
  // The largest divisor of the heads up to a quarter of them (llama.cpp needs heads to be a multiple of KV heads).
  let kvHeads = heads;
  if (heads >= 8) for (kvHeads = Math.floor(heads / 4); heads % kvHeads !== 0; kvHeads--);
  const ff = Math.ceil((embd * 8) / 3 / 32) * 32;
  return { vocab: VOCAB, embd, layers, heads, kvHeads, ff, context: 4096 };
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
  for (const embd of EMBD_LADDER) {
    const one = shapeOfWidth(embd, 1);
    const perLayer = countParameters(one) - countParameters({ ...one, layers: 0 });
    const layers = Math.round((target - countParameters({ ...one, layers: 0 })) / perLayer);
    if (layers >= Math.max(4, embd / 64) && layers <= 96) chosen = shapeOfWidth(embd, layers);
  }
  return chosen ?? shapeOfWidth(64, 4);
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
  while (tokens.length < size && queue.length > 0) {
    const piece = queue.shift()!;
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
  const w = type === 'f16' ? GgmlType.F16 : GgmlType.F32;
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
  tensors.push({ name: 'output_norm.weight', dims: [s.embd], type: GgmlType.F32 }, { name: 'output.weight', dims: [s.embd, s.vocab], type: w });
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
  bytes: number;
  name: string;
}

/** Writes the model, streaming: memory stays at one chunk whatever the size. */
export function forgeLlamaModel(opts: ForgeOptions): ForgeResult {
  const s = opts.shape;
  const parameters = countParameters(s);
  const name = `wattbench-forge ${formatParameters(parameters)} ${opts.type.toUpperCase()} (synthetic: random weights, not a language model)`;
  const vocab = builtInVocabulary(s.vocab);
  const metadata: Array<[string, MetadataValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: name }],
    ['general.file_type', { type: 'u32', value: opts.type === 'f16' ? 1 : 0 }],
    ['general.alignment', { type: 'u32', value: 32 }],
    ['wattbench.forge.synthetic', { type: 'bool', value: true }],
    ['wattbench.forge.seed', { type: 'u32', value: opts.seed ?? 42 }],
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
  const random = mulberry32(opts.seed ?? 42);
  let done = 0;
  writeGguf(opts.file, metadata, tensors, (t, write) => {
    const count = t.dims.reduce((a, b) => a * b, 1);
    // Norm weights are ones (activations keep their scale); matrices uniform in ±1/√fan-in.
    const isNorm = t.dims.length === 1;
    const scale = isNorm ? 0 : 1 / Math.sqrt(t.dims[0]);
    const CHUNK = 1 << 20;
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = isNorm ? 1 : (random() * 2 - 1) * scale;
      write(t.type === GgmlType.F16 ? toFloat16(values) : new Uint8Array(values.buffer));
      done += n * (t.type === GgmlType.F16 ? 2 : 4);
      opts.onProgress?.(done, total);
    }
  });
  return { parameters, bytes: total, name };
}

/** IEEE 754 half precision, rounding to nearest (the weights are small and finite: no NaN or infinity handling needed beyond clamping). */
function toFloat16(values: Float32Array): Uint8Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    let mant = x & 0x7fffff;
    if (exp <= 0) {
      // Subnormal half (or zero): shift the implicit one into the mantissa.
      if (exp < -10) { out[i] = sign; continue; }
      mant = (mant | 0x800000) >> (1 - exp);
      out[i] = sign | ((mant + 0x1000) >> 13);
    } else if (exp >= 31) {
      out[i] = sign | 0x7bff;
    } else {
      out[i] = sign | ((exp << 10) + ((mant + 0x1000) >> 13));
    }
  }
  return new Uint8Array(out.buffer);
}

/** "25.3M", "1.10B". */
export function formatParameters(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(0)}K`;
}
