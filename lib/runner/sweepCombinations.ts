// A sweep's combinations and its time left: plain data, no llama.cpp (the CLI expands the lists before loading it).
import type { ModelFacts } from '../model/inspectModelFile';
import type { BenchmarkSettings } from './runBenchmark';

export interface SweepModel {
  /** As given to --model. */
  spec: string;
  path: string;
  facts: ModelFacts;
}

/** The values of each swept setting; one value each is a single run. */
export interface SweepAxes {
  models: SweepModel[];
  gpuLayers: BenchmarkSettings['gpuLayers'][];
  threads: BenchmarkSettings['threads'][];
  contextSizes: BenchmarkSettings['contextSize'][];
  /** undefined: node-llama-cpp's default. */
  batchSizes: Array<number | undefined>;
}

export interface SweepCombination {
  model: SweepModel;
  gpuLayers: BenchmarkSettings['gpuLayers'];
  threads: BenchmarkSettings['threads'];
  contextSize: BenchmarkSettings['contextSize'];
  batchSize: number | undefined;
}

/** Every combination, model outermost then GPU layers (what needs a reload), then threads, context, batch. */
export function sweepCombinations(axes: SweepAxes): SweepCombination[] {
  const out: SweepCombination[] = [];
  for (const model of axes.models)
    for (const gpuLayers of axes.gpuLayers)
      for (const threads of axes.threads)
        for (const contextSize of axes.contextSizes) for (const batchSize of axes.batchSizes) out.push({ model, gpuLayers, threads, contextSize, batchSize });
  return out;
}

/** Mean duration of the combinations done, times those left (this one included); null before the first ends. */
export function sweepEtaMs(doneDurationsMs: readonly number[], left: number): number | null {
  if (doneDurationsMs.length === 0) return null;
  return (doneDurationsMs.reduce((a, b) => a + b, 0) / doneDurationsMs.length) * left;
}

