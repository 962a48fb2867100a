// Runs a suite against one model while the sampler records the machine, writing everything to the database
// as it goes. Its life cycle: prepare (load, tokenise, choose threads: nothing written) → start (the run row,
// the disk reserve, samples flushed every second) → measure → end (endRun), the one finishing path for a run
// completed, interrupted by a signal, or failed (an error, a crash routed through `signal`, a full disk):
// every result and sample gathered so far is kept.
import type { Db } from '../db/openDb';
import type { RunEnd } from '../db/runWriter';
import { WattbenchError, ExitCode } from '../errors/WattbenchError';
import type { HardwareFacts } from '../hardware/detectHardware';
import type { ModelFacts } from '../model/inspectModelFile';
import { readsAtEdges, type PowerSource } from '../power/types';
import { createSampler, type SamplerState } from '../sampler/createSampler';
import type { LoadedSuite } from '../suites/loadSuite';
import type { PromptFormatChoice } from './buildPromptTokens';
import type { PreparedPrompt } from './preparePrompts';
import type { RepetitionResult, RunSummaryJson } from './types';
import type { EnergyAccount } from './accountEnergy';
import type { EngineInfo } from '../engine/describeEngine';
import type { ThreadChoice } from './chooseThreads';
import { prepareRun, type ModelHolder, type PreparedRun } from './prepareRun';
import { recordRunStart } from './recordRunStart';
import { startSampleFlush } from './sampleFlush';
import { createDiskReserve, isDiskFull } from './diskReserve';
import { measureLocally, measureSuite, type MeasurablePrompt } from './measureSuite';
import { concludeRun, RunFailedError } from './endRun';

export { RunFailedError };
import { firstLine, type InterruptSignal } from './runEnding';

export interface BenchmarkSettings {
  /**
   * CPU threads for llama.cpp; always explicit (node-llama-cpp's default oversubscribes small machines).
   * "auto": the fastest counts for prompt processing and for generation, calibrated per machine, build and model size.
   */
  threads: number | 'auto';
  /** Measured repetitions per prompt. */
  reps: number;
  /** Unmeasured warm-up runs per prompt before the repetitions. */
  warmup: number;
  /** Context size, tokens; "auto" fits the suite's longest prompt within the model's training context. */
  contextSize: number | 'auto';
  /** Caps every prompt's output token limit; undefined keeps the suite's limits. */
  maxTokens?: number;
  /** Sampling seed; also seeds synthetic prompts. */
  seed: number;
  label?: string;
  /** Seconds of idle power measured after loading, before the first prompt. */
  idleSeconds: number;
  /** Sampling interval, ms (100 = 10 Hz). */
  sampleIntervalMs: number;
  /** Layers offloaded to a GPU: "auto" (node-llama-cpp decides), "max", or a number. */
  gpuLayers: 'auto' | 'max' | number;
  /** The power sources requested (for the record): "auto" or a list. */
  power: string;
  /** Chat template or raw completion; "auto" follows the model. Defaults to "auto". */
  promptFormat?: PromptFormatChoice;
  /** llama.cpp's batch size, tokens (node-llama-cpp's createContext batchSize); undefined: its default. */
  batchSize?: number;
}

/** The run's place in a sweep (one command with comma lists); absent for a single run. */
export interface SweepPosition {
  sweepId: string;
  /** 1-based, in the order the combinations run. */
  index: number;
}

export interface BenchmarkProgress {
  onStage?(stage: 'loading' | 'calibrating' | 'idle' | 'running' | 'finishing', detail?: string): void;
  /** Once the llama.cpp binary is loaded: which one, and what it lacks. */
  onEngine?(engine: EngineInfo): void;
  /** Once the thread counts are chosen. */
  onThreads?(choice: ThreadChoice): void;
  /** Before each generation: `step` counts warm-ups and repetitions from 1 to `totalSteps`. */
  onStep?(info: { prompt: MeasurablePrompt; rep: number; warmup: boolean; step: number; totalSteps: number; reps: number; warmups: number }): void;
  onResult?(result: RepetitionResult): void;
}

export interface RunBenchmarkOptions {
  db: Db;
  /** What the user passed to --model (a path, hf: URI or URL), for the record. */
  modelSpec: string;
  modelPath: string;
  modelFacts: ModelFacts;
  suite: LoadedSuite;
  settings: BenchmarkSettings;
  hardware: HardwareFacts;
  /** Power sources, not yet started. Defaults to none. */
  powerSources?: PowerSource[];
  /**
   * Aborting stops after the current token. The reason says how the run ends: a RunInterruption
   * "interrupted" by its signal, any other Error "failed" with it (a crash the caller routes here), a bare
   * abort() "interrupted".
   */
  signal?: AbortSignal;
  progress?: BenchmarkProgress;
  /** A sweep's run: its id and place, stored on the run row. */
  sweep?: SweepPosition;
  /** A sweep's model, kept loaded across its runs (prepareRun); its owner frees it. */
  modelHolder?: ModelHolder;
}

export interface BenchmarkOutcome {
  runId: number;
  /** Completed or interrupted: a failed run throws a WattbenchError once it is stored. */
  status: RunEnd['status'];
  /** The signal that interrupted the run; null when none was named or the run completed. */
  interruptedBy: InterruptSignal | null;
  summary: RunSummaryJson;
  energy: EnergyAccount | null;
  /** The sampler's own cost, % of one core. */
  samplerCpuPercent: number;
  engine: EngineInfo;
  threads: ThreadChoice;
}

export async function runBenchmark(opts: RunBenchmarkOptions): Promise<BenchmarkOutcome> {
  const { db, settings } = opts;
  // The run's own stop: the caller's signal (an interruption, or a crash it routes here) or a failure
  // inside (a sample flush or a write that threw).
  const stop = new AbortController();
  const onCallerAbort = (): void => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onCallerAbort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  // A failure inside outranks an interruption: a run that could not store what it measured failed.
  let failure: { error: unknown } | null = null;
  const fail = (err: unknown): void => {
    failure ??= { error: err };
    stop.abort(err);
  };

  const state: SamplerState = { phase: 'load', promptIndex: null, tokensGenerated: 0 };
  const powerSources = opts.powerSources ?? [];
  const startedAt = Date.now();
  for (const source of powerSources) await source.start({ nowMs: startedAt, cpuUtilisation: 0 });
  const sampler = createSampler({ intervalMs: settings.sampleIntervalMs, getState: () => state, powerSources });
  sampler.start();

  const stopSampling = async (): Promise<void> => {
    sampler.stop();
    for (const source of powerSources) await source.stop().catch(() => undefined);
  };

  // Prepare: nothing is written until every check has passed; a failure here is the error as it is.
  let run: PreparedRun;
  try {
    run = await prepareRun({ ...opts, signal: stop.signal });
  } catch (err) {
    await stopSampling();
    opts.signal?.removeEventListener('abort', onCallerAbort);
    throw err;
  }

  const reserve = createDiskReserve(db.$client.name);
  try {
    // Start: from here on the run exists in the database, and every way out goes through endRun.
    let runId: number;
    try {
      runId = await recordRunStart(opts, run, startedAt);
    } catch (err) {
      await stopSampling();
      throw storageError(err, db);
    }
    const flush = startSampleFlush(db, runId, sampler, fail);
    const measured: RepetitionResult[] = [];
    const resultIds: number[] = [];
    try {
      flush.flushNow();
      // Measure.
      const markEdges = readsAtEdges(powerSources);
      await measureSuite({ db, runId, run, measure: measureLocally(run, opts.suite.suite.temperature, settings.seed), suite: opts.suite, settings, sampler, state, markEdges, signal: stop.signal, progress: opts.progress, measured, resultIds });
    } catch (err) {
      fail(err);
    }

    // End.
    state.phase = 'done';
    state.promptIndex = null;
    opts.progress?.onStage?.('finishing');
    const titles = new Map(run.prompts.map((p) => [p.prompt.id, p.prompt.title]));
    const { ended, ending } = await concludeRun({ db, runId, sampler, flush, reserve, powerSources, measured, resultIds, titles }, failure as { error: unknown } | null, stop.signal);
    return {
      runId,
      status: ended.status,
      interruptedBy: ending.status === 'interrupted' ? ending.signal : null,
      summary: ended.summary,
      energy: ended.energy,
      samplerCpuPercent: samplerCost(sampler.busyMs, startedAt),
      engine: run.engine,
      threads: run.threads,
    };
  } finally {
    reserve.release();
    opts.signal?.removeEventListener('abort', onCallerAbort);
    await run.dispose();
  }
}

/** The run row could not be written: a full disk says so, anything else is reported as it is. */
function storageError(err: unknown, db: Db): unknown {
  if (isDiskFull(err)) return new WattbenchError(`cannot start the run: the disk holding ${db.$client.name} is full (${firstLine(err)}); free some space and run again`, ExitCode.runFailed);
  return err;
}

function samplerCost(busyMs: number, startedAt: number): number {
  const elapsed = Date.now() - startedAt;
  return elapsed > 0 ? (busyMs / elapsed) * 100 : 0;
}
