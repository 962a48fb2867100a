// Checks a GGUF's header against what llama.cpp asserts on, before llama.cpp sees the file: an impossible
// hyperparameter (block_count 0, head_count_kv 0, …) aborts the whole process inside llama.cpp (GGML_ASSERT,
// exit 134, no message), and other defects (unknown architecture, future version, truncated data) make it
// print several log lines. Each check here returns the one problem to report, or null.
import type { GgufFileInfo, GgufTensorInfo } from 'node-llama-cpp';
import { knownArchitectures } from './knownArchitectures';

/** GGUF versions llama.cpp reads (v1 was dropped long ago). */
const SUPPORTED_VERSIONS = [2, 3];
/** llama-hparams.h: LLAMA_MAX_LAYERS, LLAMA_MAX_EXPERTS. */
const MAX_LAYERS = 512;
const MAX_EXPERTS = 1024;
/** llama-model.cpp: LLAMA_ROPE_SCALING_TYPES (any other name is a GGML_ASSERT). */
const ROPE_SCALING_TYPES = ['none', 'linear', 'yarn', 'longrope'];
const DEFAULT_ALIGNMENT = 32;

/**
 * Elements per block and bytes per block of each ggml tensor type (ggml.c type_traits), by type id. Types not
 * listed (new or removed) are left to llama.cpp: only their offset is checked.
 */
const GGML_BLOCKS: Record<number, [elements: number, bytes: number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110], 22: [256, 82],
  23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8], 29: [256, 56], 30: [1, 2],
  34: [256, 54], 35: [256, 66], 39: [32, 17],
};

/** Architectures whose tensors are laid out like LLaMA's (models/llama.cpp): their shapes are checked too. */
const LLAMA_LAYOUT = new Set(['llama']);

type Nested = Record<string, unknown>;

export interface StructureProblem {
  /** What is wrong, as a phrase: "llama.block_count is 0; it must be 1 to 512". */
  reason: string;
  /** unsupported: a sound file this llama.cpp cannot read (version, architecture); damaged: an impossible one. */
  kind: 'unsupported' | 'damaged';
}

/** The first problem found, or null when llama.cpp should load the file. */
export function findStructureProblem(fileInfo: GgufFileInfo, fileSize: number): StructureProblem | null {
  // node-llama-cpp's reader reads zeros past the end of a file cut inside its header rather than failing.
  if (fileInfo.splicedParts <= 1 && fileInfo.infoEndOffset !== undefined && fileInfo.infoEndOffset > fileSize) {
    return { kind: 'damaged', reason: `it is truncated inside its header (${fileSize} bytes, the header alone takes ${fileInfo.infoEndOffset})` };
  }
  if (!SUPPORTED_VERSIONS.includes(fileInfo.version)) {
    return { kind: 'unsupported', reason: `it is GGUF version ${fileInfo.version}, and this llama.cpp reads versions ${SUPPORTED_VERSIONS.join(' and ')}` };
  }
  const arch = fileInfo.metadata.general?.architecture as unknown;
  if (typeof arch !== 'string' || arch === '') return { kind: 'damaged', reason: 'it names no architecture (general.architecture)' };
  if (!knownArchitectures().has(arch)) {
    return { kind: 'unsupported', reason: `its architecture "${arch}" is unknown to this llama.cpp build` };
  }
  const tensors = fileInfo.fullTensorInfo ?? fileInfo.tensorInfo ?? [];
  // CLIP projectors carry no language-model hyperparameters; split models spread their data over several files.
  const reason =
    (arch === 'clip' ? null : checkHyperparameters(fileInfo, arch)) ??
    (LLAMA_LAYOUT.has(arch) ? checkLlamaShapes(fileInfo, arch, tensors) : null) ??
    (fileInfo.splicedParts > 1 ? null : checkTensorData(fileInfo, tensors, fileSize));
  return reason === null ? null : { kind: 'damaged', reason };
}

/** Hyperparameters every architecture reads, checked as llama.cpp's load_hparams asserts them. */
function checkHyperparameters(fileInfo: GgufFileInfo, arch: string): string | null {
  const meta = (fileInfo.metadata as unknown as Record<string, Nested | undefined>)[arch] ?? {};
  const key = (name: string) => `${arch}.${name}`;
  const required = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): string | null => {
    const v = scalar(meta, name);
    if (v === undefined) return `${key(name)} is missing`;
    if (!Number.isInteger(v) || v < min || v > max) return `${key(name)} is ${v}; it must be ${range(min, max)}`;
    return null;
  };
  const nLayer = scalar(meta, 'block_count');
  const basic = required('context_length', 1) ?? required('embedding_length', 1) ?? required('block_count', 1, MAX_LAYERS);
  if (basic) return basic;

  const nextn = scalar(meta, 'nextn_predict_layers') ?? 0;
  if (nextn > nLayer!) return `${key('nextn_predict_layers')} is ${nextn}, more than ${key('block_count')} (${nLayer})`;

  const nExpert = scalar(meta, 'expert_count') ?? 0;
  const used = maxOf(meta, 'expert_used_count') ?? 0;
  const groups = scalar(meta, 'expert_group_count') ?? 0;
  const groupUsed = scalar(meta, 'expert_group_used_count') ?? 0;
  if (nExpert > MAX_EXPERTS) return `${key('expert_count')} is ${nExpert}; it must be at most ${MAX_EXPERTS}`;
  if (used > nExpert) return `${key('expert_used_count')} is ${used}, more than ${key('expert_count')} (${nExpert})`;
  if (nExpert > 0) {
    if (used === 0) return `${key('expert_used_count')} is 0 (or missing) for a model of ${nExpert} experts; it must be 1 or more`;
    if (groups >= nExpert) return `${key('expert_group_count')} is ${groups}; it must be below ${key('expert_count')} (${nExpert})`;
    if (groups > 1 && (nExpert % groups !== 0 || groupUsed < 1 || groupUsed >= groups)) {
      return `${key('expert_group_count')} (${groups}) and ${key('expert_group_used_count')} (${groupUsed}) do not fit ${nExpert} experts`;
    }
  } else if (groups !== 0) {
    return `${key('expert_group_count')} is ${groups} in a model without experts; it must be 0`;
  }

  const scaling = (meta.rope as Nested | undefined)?.scaling as Nested | undefined;
  if (scaling?.type !== undefined && !ROPE_SCALING_TYPES.includes(String(scaling.type))) {
    return `${key('rope.scaling.type')} is "${String(scaling.type)}"; it must be one of ${ROPE_SCALING_TYPES.join(', ')}`;
  }
  return null;
}

/** LLaMA's hyperparameters against each other and every tensor's shape against them (models/llama.cpp). */
function checkLlamaShapes(fileInfo: GgufFileInfo, arch: string, tensors: readonly GgufTensorInfo[]): string | null {
  const meta = (fileInfo.metadata as unknown as Record<string, Nested | undefined>)[arch] ?? {};
  const attention = (meta.attention as Nested | undefined) ?? {};
  const key = (name: string) => `${arch}.${name}`;
  const nEmbd = scalar(meta, 'embedding_length')!;
  const nLayer = scalar(meta, 'block_count')!;
  const nExpert = scalar(meta, 'expert_count') ?? 0;

  const heads = perLayer(attention, 'head_count', nLayer);
  if (heads === undefined) return `${key('attention.head_count')} is missing`;
  const headsKv = perLayer(attention, 'head_count_kv', nLayer) ?? heads;
  const ff = perLayer(meta, 'feed_forward_length', nLayer);
  if (ff === undefined) return `${key('feed_forward_length')} is missing`;
  const nHead = heads[0];
  if (heads.some((h) => !Number.isInteger(h) || h < 1)) return `${key('attention.head_count')} is ${heads.find((h) => h < 1)}; it must be 1 or more`;
  if (headsKv.some((h) => !Number.isInteger(h) || h < 1)) return `${key('attention.head_count_kv')} is ${headsKv.find((h) => h < 1)}; it must be 1 or more`;
  const keyLength = scalar(attention, 'key_length');
  const valueLength = scalar(attention, 'value_length');
  if (keyLength === undefined && nEmbd % nHead !== 0) {
    return `${key('attention.head_count')} (${nHead}) does not divide ${key('embedding_length')} (${nEmbd})`;
  }
  for (let i = 0; i < nLayer; i++) {
    if (heads[i] % headsKv[i] !== 0) {
      return `${key('attention.head_count_kv')} (${headsKv[i]}) does not divide ${key('attention.head_count')} (${heads[i]})`;
    }
  }
  if (ff.some((f) => !Number.isInteger(f) || f < 1)) return `${key('feed_forward_length')} is ${ff.find((f) => f < 1)}; it must be 1 or more`;

  const headK = keyLength ?? nEmbd / nHead;
  const headV = valueLength ?? nEmbd / nHead;
  const ropeDims = scalar((meta.rope as Nested | undefined) ?? {}, 'dimension_count');
  if (ropeDims !== undefined && ropeDims !== headK) {
    return `${key('rope.dimension_count')} is ${ropeDims}; it must equal the head size, ${headK} (${key('embedding_length')} / ${key('attention.head_count')})`;
  }

  const vocabSize = scalar(meta, 'vocab_size') ?? arrayLength(fileInfo.metadata.tokenizer?.ggml?.tokens);
  if (!vocabSize) return 'its vocabulary is empty (tokenizer.ggml.tokens)';

  const byName = new Map(tensors.map((t) => [t.name, t]));
  const vocabSource = scalar(meta, 'vocab_size') !== undefined ? key('vocab_size') : 'tokenizer.ggml.tokens';
  const expected: Array<[string, number[], string]> = [
    ['token_embd.weight', [nEmbd, vocabSize], `${key('embedding_length')} × vocabulary size, ${vocabSource}`],
    ['output_norm.weight', [nEmbd], key('embedding_length')],
    ['output.weight', [nEmbd, vocabSize], `${key('embedding_length')} × vocabulary size, ${vocabSource}`],
  ];
  if (!byName.has('token_embd.weight')) return 'it has no token_embd.weight tensor';
  for (let i = 0; i < nLayer; i++) {
    if (!byName.has(`blk.${i}.attn_norm.weight`)) return `${key('block_count')} is ${nLayer} but the file has no tensors for layer ${i}`;
    const b = `blk.${i}`;
    const q = headK * heads[i];
    expected.push(
      [`${b}.attn_norm.weight`, [nEmbd], key('embedding_length')],
      [`${b}.attn_q.weight`, [nEmbd, q], 'embedding_length × head size × head_count'],
      [`${b}.attn_k.weight`, [nEmbd, headK * headsKv[i]], 'embedding_length × head size × head_count_kv'],
      [`${b}.attn_v.weight`, [nEmbd, headV * headsKv[i]], 'embedding_length × head size × head_count_kv'],
      [`${b}.attn_output.weight`, [q, nEmbd], 'head size × head_count × embedding_length'],
      [`${b}.ffn_norm.weight`, [nEmbd], key('embedding_length')],
    );
    if (nExpert === 0) {
      expected.push(
        [`${b}.ffn_gate.weight`, [nEmbd, ff[i]], 'embedding_length × feed_forward_length'],
        [`${b}.ffn_down.weight`, [ff[i], nEmbd], 'feed_forward_length × embedding_length'],
        [`${b}.ffn_up.weight`, [nEmbd, ff[i]], 'embedding_length × feed_forward_length'],
      );
    }
  }
  const extraLayer = tensors.map((t) => /^blk\.(\d+)\./.exec(t.name)).find((m) => m && Number(m[1]) >= nLayer);
  if (extraLayer) return `${key('block_count')} is ${nLayer} but the file has tensors for layer ${extraLayer[1]}`;
  for (const [name, dims, meaning] of expected) {
    const t = byName.get(name);
    if (!t) continue; // absent tensors are llama.cpp's to report (some are optional)
    const actual = t.dimensions.map(Number);
    while (actual.length > dims.length && actual[actual.length - 1] === 1) actual.pop();
    if (actual.length !== dims.length || actual.some((d, k) => d !== dims[k])) {
      return `tensor ${name} is ${actual.join(' × ')} but its hyperparameters make it ${dims.join(' × ')} (${meaning})`;
    }
  }
  return null;
}

/** Each tensor's data where llama.cpp's GGUF reader expects it: aligned, back to back, and inside the file. */
function checkTensorData(fileInfo: GgufFileInfo, tensors: readonly GgufTensorInfo[], fileSize: number): string | null {
  const alignment = Number((fileInfo.metadata.general as Nested | undefined)?.alignment ?? DEFAULT_ALIGNMENT);
  const dataStart = fileInfo.infoEndOffset;
  if (dataStart === undefined) return null;
  if (tensors.length === 0) return 'it holds no tensors';
  // Where the next tensor's data must start; unknown once a tensor of a type this table lacks is passed.
  let expectedOffset: number | null = 0;
  for (const t of tensors) {
    const offset = Number(t.offset);
    const block = GGML_BLOCKS[t.ggmlType];
    if (offset % alignment !== 0) return `tensor ${t.name}'s data is not aligned to ${alignment} bytes`;
    if (block && expectedOffset !== null && offset !== expectedOffset) {
      return `tensor ${t.name}'s data starts at byte ${offset} of the data section where its predecessors end at ${expectedOffset}`;
    }
    const elements = t.dimensions.reduce<number>((p, d) => p * Number(d), 1);
    const bytes = block ? (elements / block[0]) * block[1] : 0;
    const end = dataStart + offset + bytes;
    if (end > fileSize || dataStart + offset >= fileSize) {
      return `it is truncated: tensor ${t.name}'s data ends at byte ${end} but the file has ${fileSize} bytes`;
    }
    expectedOffset = block && expectedOffset !== null ? offset + Math.ceil(bytes / alignment) * alignment : null;
  }
  return null;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** A scalar key inside a nested metadata object ("rope.dimension_count" is meta.rope.dimension_count). */
function scalar(meta: Nested, name: string): number | undefined {
  return toNumber(meta[name]);
}

/** A key that is a number or one number per layer, as an array of nLayer values (llama.cpp's get_key_or_arr). */
function perLayer(meta: Nested, name: string, nLayer: number): number[] | undefined {
  const v = meta[name];
  if (Array.isArray(v)) {
    const values = v.map((x) => toNumber(x) ?? NaN);
    return Array.from({ length: nLayer }, (_, i) => values[i] ?? NaN);
  }
  const n = toNumber(v);
  return n === undefined ? undefined : Array.from({ length: nLayer }, () => n);
}

function maxOf(meta: Nested, name: string): number | undefined {
  const v = meta[name];
  if (Array.isArray(v)) return Math.max(0, ...v.map((x) => toNumber(x) ?? 0));
  return toNumber(v);
}

function arrayLength(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

function range(min: number, max: number): string {
  return max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`;
}
