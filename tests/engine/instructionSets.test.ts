// Which instruction sets a llama.cpp binary uses against the ones the CPU has, on real texts: llama.cpp's
// system info lines of node-llama-cpp 3.21.1's prebuilt linux-x64 binary and of a local build on the same
// machine, and that machine's /proc/cpuinfo (an AMD EPYC VM with AVX-512).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryFeatures, cpuFeatures, missingFeatures } from '../../lib/engine/instructionSets';
import { describeEngine, engineLabel } from '../../lib/engine/describeEngine';
import { loadLlama } from '../../lib/runner/loadLlama';
import { REPO_ROOT } from '../helpers/paths';

const PREBUILT = 'CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | AVX512 = 1 | AVX512_VBMI = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | LLAMAFILE = 1 | REPACK = 1 | ';
const LOCAL = 'CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX_VNNI = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | AVX512 = 1 | AVX512_VBMI = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | ';
const EPYC = fs.readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'engine', 'cpuinfo-epyc-avx512.txt'), 'utf8');
const ARM = 'processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU implementer\t: 0x41\n';

describe('instruction sets', () => {
  it("reads the binary's features from llama.cpp's system info, OpenMP included", () => {
    expect([...binaryFeatures(LOCAL)]).toEqual(['SSE3', 'SSSE3', 'AVX', 'AVX_VNNI', 'AVX2', 'F16C', 'FMA', 'BMI2', 'AVX512', 'AVX512_VBMI', 'AVX512_VNNI', 'AVX512_BF16', 'LLAMAFILE', 'OPENMP', 'REPACK']);
    expect(binaryFeatures(PREBUILT).has('OPENMP')).toBe(false);
  });

  it("names the CPU's features from /proc/cpuinfo in llama.cpp's terms", () => {
    expect(cpuFeatures(EPYC)).toEqual(new Set(['SSE3', 'SSSE3', 'AVX', 'AVX2', 'F16C', 'FMA', 'BMI2', 'AVX_VNNI', 'AVX512', 'AVX512_VBMI', 'AVX512_VNNI', 'AVX512_BF16']));
    expect(cpuFeatures(ARM)).toEqual(new Set(['NEON', 'ARM_FMA', 'FP16_VA', 'DOTPROD']));
    expect(cpuFeatures(null)).toBeNull();
    expect(cpuFeatures('processor : 0\n')).toBeNull();
  });

  it('finds nothing missing in either binary on that machine: the prebuilt picks its AVX-512 variant, and AVX_VNNI adds nothing beside AVX512_VNNI', () => {
    expect(missingFeatures(binaryFeatures(PREBUILT), cpuFeatures(EPYC))).toEqual([]);
    expect(missingFeatures(binaryFeatures(LOCAL), cpuFeatures(EPYC))).toEqual([]);
  });

  it('names what an AVX2-only binary leaves unused on an AVX-512 CPU, and says nothing when the CPU is unknown', () => {
    const avx2Only = 'CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | LLAMAFILE = 1 | REPACK = 1 | ';
    expect(missingFeatures(binaryFeatures(avx2Only), cpuFeatures(EPYC))).toEqual(['AVX_VNNI', 'AVX512', 'AVX512_VBMI', 'AVX512_VNNI', 'AVX512_BF16']);
    expect(missingFeatures(binaryFeatures(avx2Only), null)).toEqual([]);
  });
});

describe('describeEngine on the binary this machine loads', () => {
  it('records the kind, backend, release, instruction sets and a build id for the calibration cache', async () => {
    const llama = await loadLlama();
    const engine = describeEngine(llama);
    expect(engine.kind).toBe(llama.buildType === 'localBuild' ? 'local-build' : 'prebuilt');
    expect(engine.backend).toBe(llama.gpu === false ? 'cpu' : llama.gpu);
    expect(engine.systemInfo).toBe(llama.systemInfo);
    expect(engine.instructionSets.every((f) => binaryFeatures(llama.systemInfo).has(f))).toBe(true);
    expect(engine.openmp).toBe(/OPENMP = 1/.test(llama.systemInfo));
    expect(engine.buildId.startsWith(`${engine.kind}/${engine.backend}/${llama.llamaCppRelease.release}/${engine.openmp ? 'openmp' : 'threadpool'}`)).toBe(true);
    // The generation loop is part of the key: it changes generation's best thread count.
    const native = describeEngine(llama, null, { kind: 'native', reason: null });
    const nodeLoop = describeEngine(llama, null, { kind: 'node-llama-cpp', reason: 'test' });
    expect(native.buildId).not.toBe(nodeLoop.buildId);
    expect(native.generationLoop).toEqual({ kind: 'native', reason: null });
    expect(engineLabel(engine)).toContain(`llama.cpp ${llama.llamaCppRelease.release}`);
    // So is the libuv pool under OpenMP (one OpenMP team per decoding thread), and only there.
    const one = describeEngine(llama, null, { kind: 'native', reason: null }, 1);
    const four = describeEngine(llama, null, { kind: 'native', reason: null }, 4);
    expect([one.computeThreads, four.computeThreads]).toEqual([1, 4]);
    if (engine.openmp) expect(one.buildId).not.toBe(four.buildId);
    else expect(one.buildId).toBe(four.buildId);
  });
});
