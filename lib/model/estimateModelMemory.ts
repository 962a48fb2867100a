// How much memory a model needs to run at a context size, from its GGUF header alone (nothing is loaded):
//   needed = file size + KV cache + overhead
//   KV cache = context × Σ over layers (head_count_kv × (key_length + value_length)) × 2 bytes (llama.cpp's default F16 cache)
//   overhead = 512 MiB (llama.cpp's compute buffers and the Node process), a stated round figure, not a measurement.
// key_length and value_length default to embedding_length / head_count, as llama.cpp's load_hparams does. Sliding-
// window layers (Gemma) are counted at the full context: an over-estimate, the safe side for "does it fit".
import type { GgufFileInfo } from 'node-llama-cpp';

export const MEMORY_OVERHEAD_BYTES = 512 * 1024 ** 2;
const KV_BYTES_PER_ELEMENT = 2;
/** The formula, for column headers and JSON: keep it in step with the code below. */
export const MEMORY_FORMULA = 'file + KV cache (F16) at the context + 512 MiB';

export interface MemoryEstimate {
  contextTokens: number;
  kvCacheBytes: number;
  neededBytes: number;
}

type Nested = Record<string, unknown>;

export function estimateModelMemory(fileInfo: GgufFileInfo, fileBytes: number, contextTokens: number): MemoryEstimate | null {
  const arch = fileInfo.metadata.general?.architecture;
  const meta = (fileInfo.metadata as unknown as Record<string, Nested | undefined>)[String(arch)];
  if (!meta) return null;
  const attention = (meta.attention as Nested | undefined) ?? {};
  const nLayer = num(meta.block_count);
  const nEmbd = num(meta.embedding_length);
  if (!nLayer || !nEmbd) return null;
  const perLayer = (v: unknown, fallback?: number[]): number[] | undefined => {
    if (Array.isArray(v)) return Array.from({ length: nLayer }, (_, i) => num(v[i]) ?? 0);
    const n = num(v);
    return n === undefined ? fallback : Array.from({ length: nLayer }, () => n);
  };
  const heads = perLayer(attention.head_count);
  if (!heads) return null;
  const headsKv = perLayer(attention.head_count_kv, heads)!;
  const nHead = Math.max(...heads);
  const keyLength = num(attention.key_length) ?? nEmbd / nHead;
  const valueLength = num(attention.value_length) ?? nEmbd / nHead;
  const perToken = headsKv.reduce((sum, h) => sum + h * (keyLength + valueLength), 0) * KV_BYTES_PER_ELEMENT;
  const kvCacheBytes = Math.round(perToken * contextTokens);
  return { contextTokens, kvCacheBytes, neededBytes: fileBytes + kvCacheBytes + MEMORY_OVERHEAD_BYTES };
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}
