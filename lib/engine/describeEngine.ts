// What llama.cpp binary a run uses: recorded with every run and shown wherever its speed is shown.
import type { Llama } from 'node-llama-cpp';
import { binaryFeatures, cpuFeatures, missingFeatures, readCpuinfo } from './instructionSets';

/** "local-build": compiled on this machine by `wattbench setup`; "prebuilt": the binary that came from npm. */
export type EngineKind = 'local-build' | 'prebuilt';

export interface EngineInfo {
  kind: EngineKind;
  /** "cpu", "cuda", "vulkan" or "metal". */
  backend: string;
  /** The llama.cpp release the binary was built from. */
  llamaCppRelease: string;
  llamaCppRepo: string;
  /** SIMD instruction sets the binary uses, in llama.cpp's names (AVX2, AVX512, AVX512_VNNI…). */
  instructionSets: string[];
  /** Built with OpenMP threading (llama.cpp's default for local builds) rather than ggml's own thread pool. */
  openmp: boolean;
  /** Instruction sets this CPU has that the binary does not use (empty when none, or when the CPU's are unknown). */
  missingInstructionSets: string[];
  /** llama.cpp's own system info line, verbatim. */
  systemInfo: string;
  /** Cache key for thread calibrations: a different binary may want a different thread count. */
  buildId: string;
}

export function describeEngine(llama: Llama, cpuinfo: string | null = readCpuinfo()): EngineInfo {
  const features = binaryFeatures(llama.systemInfo);
  const kind: EngineKind = llama.buildType === 'localBuild' ? 'local-build' : 'prebuilt';
  const backend = llama.gpu === false ? 'cpu' : llama.gpu;
  const openmp = features.has('OPENMP');
  const instructionSets = [...features].filter((f) => !['OPENMP', 'LLAMAFILE', 'REPACK', 'KLEIDIAI'].includes(f));
  return {
    kind,
    backend,
    llamaCppRelease: llama.llamaCppRelease.release,
    llamaCppRepo: llama.llamaCppRelease.repo,
    instructionSets,
    openmp,
    missingInstructionSets: missingFeatures(features, cpuFeatures(cpuinfo)),
    systemInfo: llama.systemInfo,
    buildId: `${kind}/${backend}/${llama.llamaCppRelease.release}/${openmp ? 'openmp' : 'threadpool'}`,
  };
}

/** One line for the terminal and the run page: "local build (cpu, OpenMP, AVX512 AVX512_VNNI …), llama.cpp b1234". */
export function engineLabel(engine: Pick<EngineInfo, 'kind' | 'backend' | 'openmp' | 'llamaCppRelease'>): string {
  const kind = engine.kind === 'local-build' ? 'local build' : 'prebuilt binary';
  return `${kind} (${engine.backend}${engine.openmp ? ', OpenMP' : ''}), llama.cpp ${engine.llamaCppRelease}`;
}
