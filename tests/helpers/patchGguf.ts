// Corrupts a copy of a real GGUF in place, byte for byte, so that tests can hand wattbench impossible models:
// a minimal reader of the GGUF layout (header, key/values, tensor infos) that records where each value lies.
import fs from 'node:fs';

const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

interface Located {
  kv: Map<string, { type: number; offset: number; length: number }>;
  tensors: Array<{ name: string; dimsOffset: number; nDims: number; dataOffsetAt: number }>;
  /** Where the key/values end (the tensor infos start) and where the tensor infos end. */
  kvEnd: number;
  infoEnd: number;
}

function locate(buf: Buffer): Located {
  let p = 8;
  const u64 = () => { const v = Number(buf.readBigUInt64LE(p)); p += 8; return v; };
  const u32 = () => { const v = buf.readUInt32LE(p); p += 4; return v; };
  const str = () => { const n = u64(); const s = buf.toString('utf8', p, p + n); p += n; return s; };
  const skip = (type: number) => {
    if (type === STRING) str();
    else if (type === ARRAY) { const t = u32(); const n = u64(); for (let i = 0; i < n; i++) skip(t); }
    else p += SCALAR_BYTES[type];
  };
  const nTensors = u64();
  const nKv = u64();
  const kv: Located['kv'] = new Map();
  for (let i = 0; i < nKv; i++) {
    const key = str();
    const type = u32();
    const offset = p;
    skip(type);
    kv.set(key, { type, offset, length: p - offset });
  }
  const kvEnd = p;
  const tensors: Located['tensors'] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = str();
    const nDims = u32();
    const dimsOffset = p;
    p += 8 * nDims + 4;
    tensors.push({ name, dimsOffset, nDims, dataOffsetAt: p });
    p += 8;
  }
  return { kv, tensors, kvEnd, infoEnd: p };
}

export interface GgufPatch {
  /** Overwrites a scalar integer key (u32/i32) with another value. */
  setInt(key: string, value: number): GgufPatch;
  /** Overwrites a string key with another string of the same byte length. */
  setString(key: string, value: string): GgufPatch;
  /** Adds a string key (e.g. tokenizer.chat_template), moving the tensor data so that it stays aligned. */
  addString(key: string, value: string): GgufPatch;
  /** Overwrites the format version (bytes 4–7). */
  setVersion(version: number): GgufPatch;
  /** Overwrites one dimension of a tensor's shape. */
  setTensorDim(tensor: string, dim: number, value: number): GgufPatch;
  /** Cuts the file `bytes` bytes short, inside its last tensor's data. */
  truncate(bytes: number): GgufPatch;
  /** Writes the result. */
  write(file: string): string;
}

/** A copy of `source` in memory, to patch and write elsewhere. */
export function patchGguf(source: string): GgufPatch {
  let buf = Buffer.from(fs.readFileSync(source));
  let where = locate(buf);
  const kvAt = (key: string) => {
    const e = where.kv.get(key);
    if (!e) throw new Error(`${source} has no key ${key}`);
    return e;
  };
  const patch: GgufPatch = {
    setInt(key, value) {
      const e = kvAt(key);
      if (e.type === 4) buf.writeUInt32LE(value, e.offset);
      else if (e.type === 5) buf.writeInt32LE(value, e.offset);
      else throw new Error(`${key} is not a 32-bit integer (type ${e.type})`);
      return patch;
    },
    setString(key, value) {
      const e = kvAt(key);
      const bytes = Buffer.from(value, 'utf8');
      if (e.type !== STRING || bytes.length !== e.length - 8) throw new Error(`${key}: not a string of ${bytes.length} bytes`);
      bytes.copy(buf, e.offset + 8);
      return patch;
    },
    addString(key, value) {
      const alignment = where.kv.has('general.alignment') ? buf.readUInt32LE(kvAt('general.alignment').offset) : 32;
      const align = (n: number) => Math.ceil(n / alignment) * alignment;
      const keyBytes = Buffer.from(key, 'utf8');
      const valueBytes = Buffer.from(value, 'utf8');
      const entry = Buffer.alloc(8 + keyBytes.length + 4 + 8 + valueBytes.length);
      entry.writeBigUInt64LE(BigInt(keyBytes.length), 0);
      keyBytes.copy(entry, 8);
      entry.writeUInt32LE(STRING, 8 + keyBytes.length);
      entry.writeBigUInt64LE(BigInt(valueBytes.length), 12 + keyBytes.length);
      valueBytes.copy(entry, 20 + keyBytes.length);
      const header = Buffer.from(buf.subarray(0, where.kvEnd));
      header.writeBigUInt64LE(header.readBigUInt64LE(16) + 1n, 16);
      const infos = buf.subarray(where.kvEnd, where.infoEnd);
      const newInfoEnd = where.infoEnd + entry.length;
      // Tensor offsets are relative to the data section: only its start moves, to the next aligned byte.
      buf = Buffer.concat([header, entry, infos, Buffer.alloc(align(newInfoEnd) - newInfoEnd), buf.subarray(align(where.infoEnd))]);
      where = locate(buf);
      return patch;
    },
    setVersion(version) {
      buf.writeUInt32LE(version, 4);
      return patch;
    },
    setTensorDim(tensor, dim, value) {
      const t = where.tensors.find((x) => x.name === tensor);
      if (!t || dim >= t.nDims) throw new Error(`${source} has no tensor ${tensor} with dimension ${dim}`);
      buf.writeBigUInt64LE(BigInt(value), t.dimsOffset + 8 * dim);
      return patch;
    },
    truncate(bytes) {
      buf = buf.subarray(0, buf.length - bytes);
      return patch;
    },
    write(file) {
      fs.writeFileSync(file, buf);
      return file;
    },
  };
  return patch;
}
