// What llama.cpp binary a run uses: recorded with every run and shown wherever its speed is shown.
import type { Llama } from 'node-llama-cpp';
import { loadGenerationLoop, type GenerationLoopInfo } from './generationLoop';
import { binaryFeatures, cpuFeatures, missingFeatures, readCpuinfo } from './instructionSets';
import { computePoolSize } from './computePool';

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
  /** Which loop generates tokens after the first: wattbench's native loop, or node-llama-cpp's (with why). */
  generationLoop: GenerationLoopInfo;
  /**
   * libuv worker threads llama.cpp's decodes can run on (UV_THREADPOOL_SIZE; 1 under the CLI). Above 1 on an OpenMP
   * build, each such thread gets its own OpenMP team and generation slows (lib/engine/computePool.ts).
   */
  computeThreads: number;
  /** Cache key for thread calibrations: a different binary may want a different thread count. */
  buildId: string;
}

export function describeEngine(
  llama: Llama,
  cpuinfo: string | null = readCpuinfo(),
  generationLoop: GenerationLoopInfo = loadGenerationLoop().info,
  computeThreads: number = computePoolSize(),
): EngineInfo {
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
    generationLoop,
    computeThreads,
    // The loop changes generation's best thread count (node-llama-cpp's needs a core for the event loop), and so
    // does the pool size under OpenMP (one team or several).
    buildId: `${kind}/${backend}/${llama.llamaCppRelease.release}/${openmp ? 'openmp' : 'threadpool'}${generationLoop.kind === 'native' ? '/native-loop' : ''}${openmp ? `/uv-pool-${computeThreads}` : ''}`,
  };
}

/** One line for the terminal: "local build (cpu, OpenMP), llama.cpp b1234, native generation loop". */
export function engineLabel(engine: Pick<EngineInfo, 'kind' | 'backend' | 'openmp' | 'llamaCppRelease'> & { generationLoop?: GenerationLoopInfo }): string {
  const kind = engine.kind === 'local-build' ? 'local build' : 'prebuilt binary';
  const loop = engine.generationLoop ? `, ${engine.generationLoop.kind === 'native' ? 'native' : "node-llama-cpp's"} generation loop` : '';
  return `${kind} (${engine.backend}${engine.openmp ? ', OpenMP' : ''}), llama.cpp ${engine.llamaCppRelease}${loop}`;
}
