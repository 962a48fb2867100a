// Float32 values to the bytes of a ggml tensor type: f32, f16, and ggml's Q8_0 and Q4_0 blocks, laid out as
// ggml's reference quantisers write them (quantize_row_q8_0_ref, quantize_row_q4_0_ref in ggml-quants.c), so a
// forged quantised model costs llama.cpp exactly what a quantised real one does. (The products are rounded in
// double, not float, precision: a value within one float step of a rounding boundary may land on the other
// side, which changes no layout, size or cost.) tests/forge/forgeTypes.test.ts checks them against llama.cpp's
// own dequantisation.
import { GgmlType, type GgmlTypeId } from './ggufWriter';

/** Values per quantisation block of Q8_0 and Q4_0 (ggml's QK8_0, QK4_0). */
export const QK = 32;

/** IEEE 754 half precision of one value, rounding to nearest even (ggml's GGML_FP32_TO_FP16 for finite values). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7bff; // the weights are small and finite: clamp rather than make infinities
  if (exp <= 0) {
    // Subnormal half (or zero): shift the implicit one into the mantissa, then round.
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (rest > halfway || (rest === halfway && (half & 1)) ? 1 : 0));
  }
  const rest = mant & 0x1fff;
  let bits = (exp << 10) | (mant >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && (bits & 1))) bits++; // a carry into the exponent is still right
  return sign | bits;
}
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function toFloat16(values: Float32Array): Uint8Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i];
    const exp = (x >>> 23) & 0xff;
    // The common case inline (a normal half: biased exponent 113–142), the rest through float16Bits.
    if (exp > 112 && exp < 143) {
      const rest = x & 0x1fff;
      let h = ((x >>> 16) & 0x8000) | ((exp - 112) << 10) | ((x >>> 13) & 0x3ff);
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++;
      out[i] = h;
    } else out[i] = float16Bits(values[i]);
  }
  return new Uint8Array(out.buffer);
}

/** Q8_0: per block of 32, d = max|x| / 127 (fp16), then 32 int8 round(x / d). 34 bytes a block. */
function toQ8_0(values: Float32Array): Uint8Array {
  const blocks = values.length / QK;
  const out = new Uint8Array(blocks * 34);
  const view = new DataView(out.buffer);
  const qs = new Int8Array(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    for (let j = 0; j < QK; j++) {
      const a = values[base + j] < 0 ? -values[base + j] : values[base + j];
      if (a > amax) amax = a;
    }
    const d = Math.fround(amax / 127);
    const id = d ? Math.fround(1 / d) : 0;
    view.setUint16(b * 34, float16Bits(d), true);
    const at = b * 34 + 2;
    for (let j = 0; j < QK; j++) {
      // roundf (halves away from zero) without a call per value: |x / d| ≤ 127, so truncation by |0 is safe.
      const q = values[base + j] * id;
      qs[at + j] = q >= 0 ? (q + 0.5) | 0 : -((0.5 - q) | 0);
    }
  }
  return out;
}

/**
 * Q4_0: per block of 32, d = (the value of largest magnitude) / -8 (fp16), then 16 bytes: byte j holds value j
 * in its low nibble and value j + 16 in its high nibble, each as min(15, trunc(x / d + 8.5)); x ≈ (q − 8) · d.
 */
function toQ4_0(values: Float32Array): Uint8Array {
  const blocks = values.length / QK;
  const out = new Uint8Array(blocks * 18);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = values[base + j];
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = Math.fround(max / -8);
    const id = d ? Math.fround(1 / d) : 0;
    view.setUint16(b * 18, float16Bits(d), true);
    for (let j = 0; j < QK / 2; j++) {
      const q0 = Math.min(15, Math.trunc(Math.fround(values[base + j] * id) + 8.5));
      const q1 = Math.min(15, Math.trunc(Math.fround(values[base + QK / 2 + j] * id) + 8.5));
      out[b * 18 + 2 + j] = q0 | (q1 << 4);
    }
  }
  return out;
}

/** The bytes of `values` as a tensor of `type`; for the block types the length must be a multiple of 32 (whole rows). */
export function encodeTensorData(values: Float32Array, type: GgmlTypeId): Uint8Array {
  switch (type) {
    case GgmlType.F32: return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    case GgmlType.F16: return toFloat16(values);
    case GgmlType.Q8_0: return toQ8_0(values);
    case GgmlType.Q4_0: return toQ4_0(values);
  }
}
