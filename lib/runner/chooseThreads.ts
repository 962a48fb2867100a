// The thread counts a run uses: --threads when given; otherwise the cached or freshly measured calibration
// for this machine, build and model size class. The choice and why are stored with the run.
import type { LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { Db } from '../db/openDb';
import type { ThreadCalibrationMeasurement } from '../domain/types';
import { findThreadCalibration, saveThreadCalibration } from '../db/threadCalibrations';
import type { EngineInfo } from '../engine/describeEngine';
import { formatNumber } from '../format/numbers';
import { defaultThreads, type HardwareFacts } from '../hardware/detectHardware';
import { calibrateThreads, modelSizeClass, threadCandidates } from './calibrateThreads';
import { supportsPhaseThreads } from './contextThreads';
import type { PhaseThreads } from './measureRepetition';

export interface ThreadChoice extends PhaseThreads {
  /** "flag": --threads; "calibrated": measured for this run; "cached": an earlier calibration; "default": no calibration possible. */
  origin: 'flag' | 'calibrated' | 'cached' | 'default';
  /** One sentence: what was chosen and why. */
  reason: string;
  /** tokens/s per count tried (calibrated or cached), else null. */
  measurements: ThreadCalibrationMeasurement[] | null;
  /** The model size class the calibration applies to. */
  sizeClass: string | null;
  /** When the calibration was measured, epoch ms. */
  calibratedAt: number | null;
}

export interface ChooseThreadsOptions {
  db: Db;
  /** --threads, or "auto". */
  requested: number | 'auto';
  hardware: HardwareFacts;
  engine: EngineInfo;
  model: LlamaModel;
  modelFile: { fileName: string; sizeBytes: number };
  sequence: LlamaContextSequence;
  seed: number;
  signal?: AbortSignal;
  onCalibrate?(threads: number, index: number, total: number): void;
}

export async function chooseThreads(opts: ChooseThreadsOptions): Promise<ThreadChoice> {
  if (opts.requested !== 'auto') {
    const n = opts.requested;
    return { prompt: n, gen: n, origin: 'flag', reason: `--threads ${n}`, measurements: null, sizeClass: null, calibratedAt: null };
  }
  if (!supportsPhaseThreads(opts.sequence.context)) {
    const n = defaultThreads(opts.hardware);
    return { prompt: n, gen: n, origin: 'default', reason: `physical cores − 1 (this node-llama-cpp cannot switch threads between phases, so no calibration)`, measurements: null, sizeClass: null, calibratedAt: null };
  }
  const key = { hardwareFingerprint: opts.hardware.fingerprint, buildId: opts.engine.buildId, sizeClass: modelSizeClass(opts.modelFile.sizeBytes) };
  const cached = findThreadCalibration(opts.db, key);
  if (cached) {
    const choice = { prompt: cached.promptThreads, gen: cached.genThreads, measurements: cached.measurements };
    return { ...choice, origin: 'cached', reason: describeChoice(choice, `calibrated on ${cached.modelFile} (${key.sizeClass} models, this machine and build)`), sizeClass: key.sizeClass, calibratedAt: cached.createdAt };
  }
  const calibration = await calibrateThreads({
    model: opts.model,
    sequence: opts.sequence,
    candidates: threadCandidates(opts.hardware),
    seed: opts.seed,
    signal: opts.signal,
    onCandidate: opts.onCalibrate,
  });
  const calibratedAt = Date.now();
  // An interrupted calibration is not cached: it did not try every count.
  if (!opts.signal?.aborted) {
    saveThreadCalibration(opts.db, { ...key, promptThreads: calibration.promptThreads, genThreads: calibration.genThreads, measurements: calibration.measurements, modelFile: opts.modelFile.fileName, createdAt: calibratedAt });
  }
  const choice = { prompt: calibration.promptThreads, gen: calibration.genThreads, measurements: calibration.measurements };
  return { ...choice, origin: 'calibrated', reason: describeChoice(choice, 'calibrated now on this model'), sizeClass: key.sizeClass, calibratedAt };
}

/** "prompt 2 threads (5,120 tok/s; 2,700 at 1), generation 1 thread (1,900 tok/s; 80.1 at 2): calibrated now on this model". */
export function describeChoice(choice: { prompt: number; gen: number; measurements: ThreadCalibrationMeasurement[] }, origin: string): string {
  const phase = (name: string, threads: number, speed: (m: ThreadCalibrationMeasurement) => number) => {
    const chosen = choice.measurements.find((m) => m.threads === threads);
    const others = choice.measurements.filter((m) => m.threads !== threads).map((m) => `${tokS(speed(m))} at ${m.threads}`);
    const figures = chosen ? ` (${tokS(speed(chosen))}${others.length ? `; ${others.join(', ')}` : ''})` : '';
    return `${name} ${threads} thread${threads === 1 ? '' : 's'}${figures}`;
  };
  return `${phase('prompt', choice.prompt, (m) => m.promptTokensPerSec)}, ${phase('generation', choice.gen, (m) => m.genTokensPerSec)}: ${origin}`;
}

function tokS(x: number): string {
  return `${formatNumber(x, 'en')} tok/s`;
}
