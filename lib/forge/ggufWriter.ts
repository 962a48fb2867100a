// A streaming GGUF (version 3) writer: metadata and tensor descriptions first, then each tensor's data written
// in chunks as it is produced, so a multi-gigabyte model never has to fit in the heap.
// Layout: "GGUF", version, tensor count, metadata count, metadata, tensor infos, padding, aligned tensor data.
import fs from 'node:fs';

/** GGUF metadata value types. */
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10 } as const;

/** ggml tensor types this writer produces (ggml's enum ggml_type). */
export const GgmlType = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];
/** Values per block and bytes per block (ggml's type traits): Q4_0 is an fp16 scale and 16 bytes of nibbles, Q8_0 an fp16 scale and 32 int8. */
const BLOCK: Record<GgmlTypeId, { values: number; bytes: number }> = {
  0: { values: 1, bytes: 4 },
  1: { values: 1, bytes: 2 },
  2: { values: 32, bytes: 18 },
  8: { values: 32, bytes: 34 },
};

/** Values per block of a type: a row's length must be a multiple of it. */
export function blockValues(type: GgmlTypeId): number {
  return BLOCK[type].values;
}

export type MetadataValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'f32[]'; value: ArrayLike<number> }
  | { type: 'i32[]'; value: ArrayLike<number> };

export interface TensorSpec {
  name: string;
  /** ggml order: dims[0] is the length of a row (the input dimension of a weight matrix). */
  dims: number[];
  type: GgmlTypeId;
}

export const ALIGNMENT = 32;

/** Bytes a tensor's data takes. */
export function tensorBytes(t: Pick<TensorSpec, 'dims' | 'type'>): number {
  const { values, bytes } = BLOCK[t.type];
  if (t.dims[0] % values !== 0) throw new Error(`a row of ${t.dims[0]} values is not a whole number of ${values}-value blocks`);
  return (t.dims.reduce((a, b) => a * b, 1) / values) * bytes;
}

const pad = (n: number) => (ALIGNMENT - (n % ALIGNMENT)) % ALIGNMENT;

/** Serialises the header: everything before the tensor data, padded to the alignment. */
export function encodeHeader(metadata: ReadonlyArray<[string, MetadataValue]>, tensors: readonly TensorSpec[]): Buffer {
  const parts: Buffer[] = [];
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); parts.push(b); };
  const i32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32LE(v); parts.push(b); };
  const u64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); parts.push(b); };
  const f32 = (v: number) => { const b = Buffer.alloc(4); b.writeFloatLE(v); parts.push(b); };
  const str = (s: string) => { const b = Buffer.from(s, 'utf8'); u64(b.length); parts.push(b); };

  parts.push(Buffer.from('GGUF', 'latin1'));
  u32(3);
  u64(tensors.length);
  u64(metadata.length);
  for (const [key, v] of metadata) {
    str(key);
    switch (v.type) {
      case 'u32': u32(T.UINT32); u32(v.value); break;
      case 'i32': u32(T.INT32); i32(v.value); break;
      case 'f32': u32(T.FLOAT32); f32(v.value); break;
      case 'bool': u32(T.BOOL); parts.push(Buffer.from([v.value ? 1 : 0])); break;
      case 'string': u32(T.STRING); str(v.value); break;
      case 'string[]': u32(T.ARRAY); u32(T.STRING); u64(v.value.length); for (const s of v.value) str(s); break;
      case 'f32[]': {
        u32(T.ARRAY); u32(T.FLOAT32); u64(v.value.length);
        const b = Buffer.alloc(v.value.length * 4);
        for (let i = 0; i < v.value.length; i++) b.writeFloatLE(v.value[i], i * 4);
        parts.push(b);
        break;
      }
      case 'i32[]': {
        u32(T.ARRAY); u32(T.INT32); u64(v.value.length);
        const b = Buffer.alloc(v.value.length * 4);
        for (let i = 0; i < v.value.length; i++) b.writeInt32LE(v.value[i], i * 4);
        parts.push(b);
        break;
      }
    }
  }
  let offset = 0;
  for (const t of tensors) {
    str(t.name);
    u32(t.dims.length);
    for (const d of t.dims) u64(d);
    u32(t.type);
    u64(offset);
    offset += tensorBytes(t) + pad(tensorBytes(t));
  }
  const header = Buffer.concat(parts);
  return Buffer.concat([header, Buffer.alloc(pad(header.length))]);
}

/** The size of the file writeGguf writes: the header, then every tensor padded to the alignment. */
export function ggufFileBytes(metadata: ReadonlyArray<[string, MetadataValue]>, tensors: readonly TensorSpec[]): number {
  return encodeHeader(metadata, tensors).length + tensors.reduce((a, t) => a + tensorBytes(t) + pad(tensorBytes(t)), 0);
}

/**
 * Writes a GGUF file: `fill(tensor, write)` is called once per tensor, in order, and must pass exactly
 * tensorBytes(tensor) bytes to `write` (in as many chunks as it likes).
 */
export function writeGguf(
  file: string,
  metadata: ReadonlyArray<[string, MetadataValue]>,
  tensors: readonly TensorSpec[],
  fill: (tensor: TensorSpec, write: (chunk: Uint8Array) => void) => void,
  onTensor?: (index: number, total: number) => void,
): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, encodeHeader(metadata, tensors));
    tensors.forEach((t, i) => {
      let written = 0;
      fill(t, (chunk) => {
        fs.writeSync(fd, chunk);
        written += chunk.byteLength;
      });
      if (written !== tensorBytes(t)) throw new Error(`tensor ${t.name}: wrote ${written} bytes, expected ${tensorBytes(t)}`);
      const padding = pad(written);
      if (padding) fs.writeSync(fd, Buffer.alloc(padding));
      onTensor?.(i + 1, tensors.length);
    });
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The same file, written asynchronously: `chunks(tensor)` yields the tensor's bytes. Each write yields to the
 * event loop, so a signal handler can abort (`signal`) between two chunks; the caller removes the partial file.
 */
export async function writeGgufAsync(
  file: string,
  metadata: ReadonlyArray<[string, MetadataValue]>,
  tensors: readonly TensorSpec[],
  chunks: (tensor: TensorSpec) => Iterable<Uint8Array>,
  signal?: AbortSignal,
): Promise<void> {
  const handle = await fs.promises.open(file, 'w');
  try {
    await handle.write(encodeHeader(metadata, tensors));
    for (const t of tensors) {
      let written = 0;
      for (const chunk of chunks(t)) {
        signal?.throwIfAborted();
        await handle.write(chunk);
        written += chunk.byteLength;
      }
      if (written !== tensorBytes(t)) throw new Error(`tensor ${t.name}: wrote ${written} bytes, expected ${tensorBytes(t)}`);
      const padding = pad(written);
      if (padding) await handle.write(Buffer.alloc(padding));
    }
  } finally {
    await handle.close();
  }
}
