// Threads by measurement: short prompt-processing and generation runs at each candidate thread count, on the
// model being benchmarked, pick the fastest count for each phase. Cached per machine, build and model size
// class (lib/db/threadCalibrations.ts), so a machine pays for it once per kind of model.
import type { LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { ThreadCalibrationMeasurement } from '../domain/types';
import { quantile } from '../stats/summarize';
import { buildPromptTokens } from './buildPromptTokens';
import { setContextThreads } from './contextThreads';
import { measureRepetition } from './measureRepetition';

/** A count within this share of the fastest is as fast: the smaller count wins (less power, less contention). */
export const THREADS_TIE_SHARE = 0.97;
/** Prompt tokens and generated tokens of one calibration try: long enough to be a batch, short enough for big models. */
const CALIBRATION_PROMPT_TOKENS = 64;
const CALIBRATION_GEN_TOKENS = 16;

/**
 * The counts worth trying: 1, powers of two below the physical cores, the physical cores minus one and the
 * physical cores, and every logical CPU when there are more (SMT). At most eight, smallest first.
 */
export function threadCandidates(hw: { cpuCores: number; cpuThreads: number }): number[] {
  const cores = Math.max(1, hw.cpuCores);
  const set = new Set<number>([1, cores, Math.max(1, cores - 1), Math.max(cores, hw.cpuThreads)]);
  for (let n = 2; n < cores; n *= 2) set.add(n);
  const sorted = [...set].sort((a, b) => a - b);
  // Keep the ends and the counts nearest the cores when there are too many.
  return sorted.length <= 8 ? sorted : [...sorted.slice(0, 2), ...sorted.slice(-6)];
}

/** The size class a model falls in for caching: weights bytes on a ×4 scale ("64 MB–256 MB"). */
export function modelSizeClass(bytes: number): string {
  const MB = 1024 * 1024;
  const edges = [16, 64, 256, 1024, 4096, 16384, 65536].map((m) => m * MB);
  const label = (b: number) => (b >= 1024 * MB ? `${b / (1024 * MB)} GB` : `${b / MB} MB`);
  const upper = edges.findIndex((e) => bytes < e);
  if (upper === 0) return `< ${label(edges[0])}`;
  if (upper === -1) return `≥ ${label(edges[edges.length - 1])}`;
  return `${label(edges[upper - 1])}–${label(edges[upper])}`;
}

export interface ThreadCalibration {
  promptThreads: number;
  genThreads: number;
  measurements: ThreadCalibrationMeasurement[];
}

export interface CalibrateThreadsOptions {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  candidates: number[];
  seed: number;
  /** Tries per candidate after one warm-up for the whole calibration. Defaults to 3. */
  tries?: number;
  signal?: AbortSignal;
  onCandidate?(threads: number, index: number, total: number): void;
}

export async function calibrateThreads(opts: CalibrateThreadsOptions): Promise<ThreadCalibration> {
  const { model, sequence } = opts;
  const plan = { format: 'completion' as const, chatWrapper: null };
  const promptTokens = Math.max(2, Math.min(CALIBRATION_PROMPT_TOKENS, Math.floor(sequence.context.contextSize / 2)));
  const tokens = buildPromptTokens(
    model,
    { id: 'calibration', title: 'calibration', lang: 'en', task: 'calibration', kind: 'synthetic', promptTokens, maxTokens: CALIBRATION_GEN_TOKENS, ignoreEos: true },
    plan,
    opts.seed,
  );
  const once = (threads: number) => {
    setContextThreads(sequence.context, threads);
    return measureRepetition({ model, sequence, tokens, maxTokens: CALIBRATION_GEN_TOKENS, ignoreEos: true, temperature: 0, seed: opts.seed, signal: opts.signal });
  };
  // One warm-up: the first run pages the weights in and sizes buffers.
  await once(opts.candidates[opts.candidates.length - 1]);
  const measurements: ThreadCalibrationMeasurement[] = [];
  for (const [i, threads] of opts.candidates.entries()) {
    if (opts.signal?.aborted) break;
    opts.onCandidate?.(threads, i, opts.candidates.length);
    const pp: number[] = [];
    const tg: number[] = [];
    for (let t = 0; t < (opts.tries ?? 3); t++) {
      const m = await once(threads);
      pp.push(m.promptTokensPerSec);
      if (m.genTokensPerSec !== null) tg.push(m.genTokensPerSec);
    }
    measurements.push({ threads, promptTokensPerSec: pp.length ? quantile(pp, 0.5) : 0, genTokensPerSec: tg.length ? quantile(tg, 0.5) : 0 });
  }
  return {
    promptThreads: fastest(measurements, (m) => m.promptTokensPerSec),
    genThreads: fastest(measurements, (m) => m.genTokensPerSec),
    measurements,
  };
}

/** The smallest count within THREADS_TIE_SHARE of the fastest. */
export function fastest(measurements: readonly ThreadCalibrationMeasurement[], speed: (m: ThreadCalibrationMeasurement) => number): number {
  if (measurements.length === 0) return 1;
  const best = Math.max(...measurements.map(speed));
  return [...measurements].sort((a, b) => a.threads - b.threads).find((m) => speed(m) >= best * THREADS_TIE_SHARE)!.threads;
}
