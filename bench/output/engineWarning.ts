// The lines `run` prints when the llama.cpp binary, the thread pool or the generation loop leaves speed on the table, with the fix.
import { estimateBuildSeconds } from '../../lib/engine/buildEngine';
import type { EngineInfo } from '../../lib/engine/describeEngine';

export function engineWarnings(engine: EngineInfo): string[] {
  const lines: string[] = [];
  if (engine.missingInstructionSets.length > 0) {
    const minutes = Math.max(1, Math.round(estimateBuildSeconds('cpu') / 60));
    lines.push(
      `the ${engine.kind === 'prebuilt' ? 'prebuilt' : 'local'} llama.cpp binary does not use ${engine.missingInstructionSets.join(', ')}, which this CPU has, so its figures understate this machine; run \`wattbench setup\` to build one for it (about ${minutes} min, offline)`,
    );
  }
  if (engine.openmp && engine.computeThreads > 1) {
    lines.push(
      `UV_THREADPOOL_SIZE=${engine.computeThreads}: llama.cpp's decodes can run on ${engine.computeThreads} threads, each with its own OpenMP team, so OpenMP stops waiting between tokens and generation slows with more than one thread; unset UV_THREADPOOL_SIZE (wattbench uses 1)`,
    );
  }
  const loop = engine.generationLoop;
  if (loop && loop.kind !== 'native') {
    lines.push(`generation runs on node-llama-cpp's loop (two native calls per token), which understates generation speed most on small models: ${loop.reason ?? 'no reason recorded'}`);
  }
  return lines;
}
