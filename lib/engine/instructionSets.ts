// Which SIMD instruction sets the CPU has, and which of them the llama.cpp binary was built to use.
// llama.cpp's system info names them ("AVX512 = 1 | AVX512_VNNI = 1 | …"); the CPU's come from /proc/cpuinfo.
import fs from 'node:fs';

/** llama.cpp's name for each feature (ggml-cpu's system info) and the /proc/cpuinfo flag that means the CPU has it. */
const X86_FEATURES: ReadonlyArray<{ name: string; flag: string }> = [
  { name: 'SSE3', flag: 'pni' },
  { name: 'SSSE3', flag: 'ssse3' },
  { name: 'AVX', flag: 'avx' },
  { name: 'AVX2', flag: 'avx2' },
  { name: 'F16C', flag: 'f16c' },
  { name: 'FMA', flag: 'fma' },
  { name: 'BMI2', flag: 'bmi2' },
  { name: 'AVX_VNNI', flag: 'avx_vnni' },
  { name: 'AVX512', flag: 'avx512f' },
  { name: 'AVX512_VBMI', flag: 'avx512vbmi' },
  { name: 'AVX512_VNNI', flag: 'avx512_vnni' },
  { name: 'AVX512_BF16', flag: 'avx512_bf16' },
  { name: 'AMX_INT8', flag: 'amx_int8' },
];

/** ARM features llama.cpp reports, from the "Features" line of /proc/cpuinfo. */
const ARM_FEATURES: ReadonlyArray<{ name: string; flag: string }> = [
  { name: 'NEON', flag: 'asimd' },
  { name: 'ARM_FMA', flag: 'asimd' },
  { name: 'FP16_VA', flag: 'asimdhp' },
  { name: 'DOTPROD', flag: 'asimddp' },
  { name: 'MATMUL_INT8', flag: 'i8mm' },
  { name: 'SVE', flag: 'sve' },
  { name: 'SME', flag: 'sme' },
];

/** The features the binary enabled, from llama.cpp's system info ("CPU : SSE3 = 1 | AVX = 1 | … | OPENMP = 1 |"). */
export function binaryFeatures(systemInfo: string): Set<string> {
  const on = new Set<string>();
  for (const m of systemInfo.matchAll(/([A-Z][A-Z0-9_]*)\s*=\s*1\b/g)) on.add(m[1]);
  return on;
}

/**
 * The CPU's features in llama.cpp's names, from the flags line of a /proc/cpuinfo text; null where the
 * text has no flags line (not Linux, or an unreadable file): then nothing can be said to be missing.
 */
export function cpuFeatures(cpuinfo: string | null): Set<string> | null {
  if (!cpuinfo) return null;
  const line = /^(?:flags|Features)\s*:(.*)$/m.exec(cpuinfo);
  if (!line) return null;
  const flags = new Set(line[1].trim().split(/\s+/));
  const table = /^Features/m.test(cpuinfo) && !/^flags/m.test(cpuinfo) ? ARM_FEATURES : X86_FEATURES;
  return new Set(table.filter((f) => flags.has(f.flag)).map((f) => f.name));
}

/** /proc/cpuinfo as text, or null where it cannot be read. */
export function readCpuinfo(path = '/proc/cpuinfo'): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** A feature whose kernels a wider one replaces: ggml uses AVX512_VNNI where both exist, so AVX_VNNI adds nothing. */
const COVERED_BY: Readonly<Record<string, string>> = { AVX_VNNI: 'AVX512_VNNI' };

/** Features the CPU has that the binary does not use, in llama.cpp's names and order. */
export function missingFeatures(binary: ReadonlySet<string>, cpu: ReadonlySet<string> | null): string[] {
  if (!cpu) return [];
  return [...X86_FEATURES, ...ARM_FEATURES]
    .map((f) => f.name)
    .filter((name, i, all) => all.indexOf(name) === i && cpu.has(name) && !binary.has(name) && !(COVERED_BY[name] && binary.has(COVERED_BY[name])));
}
