// The settings a run uses when a flag is not given: `wattbench run` (its flags and --help) and `wattbench demo` read them here.
import type { BenchmarkSettings } from './runBenchmark';

export const RUN_DEFAULTS = {
  suite: 'standard',
  threads: 'auto',
  reps: 3,
  warmup: 1,
  contextSize: 'auto',
  idleSeconds: 5,
  sampleIntervalMs: 100,
  gpuLayers: 'auto',
  power: 'auto',
  promptFormat: 'auto',
} as const satisfies Pick<BenchmarkSettings, 'threads' | 'reps' | 'warmup' | 'contextSize' | 'idleSeconds' | 'sampleIntervalMs' | 'gpuLayers' | 'power' | 'promptFormat'> & { suite: string };

/** Smallest context the KV cache is given by default, tokens. */
export const MIN_AUTO_CONTEXT = 2048;
