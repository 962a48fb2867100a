// The measure stage: idle power, then per prompt its warm-ups and measured repetitions, each measured one
// stored at once. Stops after the current token when `signal` aborts (a signal, or a failure elsewhere).
// What one repetition is — a generation in this process, or a streamed request to a server (lib/endpoint) —
// is the `measure` function's; the sequencing, the sampler's state and the storing are the same for both.
import type { Db } from '../db/openDb';
import { insertResult } from '../db/runWriter';
import type { Sampler, SamplerState } from '../sampler/createSampler';
import type { LoadedSuite } from '../suites/loadSuite';
import { measureRepetition, type RepetitionBoundary } from './measureRepetition';
import type { PreparedPrompt } from './preparePrompts';
import { gradeAnswer } from '../quality/gradeAnswer';
import type { PreparedRun } from './prepareRun';
import type { BenchmarkProgress, BenchmarkSettings } from './runBenchmark';
import type { MeasuredRepetition, RepetitionResult } from './types';

/** What the sequencing needs of a prompt: the suite's prompt, its index and its output limit. */
export type MeasurablePrompt = Pick<PreparedPrompt, 'prompt' | 'index' | 'maxTokens'>;

/** The hooks one repetition reports through (see MeasureRepetitionOptions). */
export interface RepetitionHooks {
  signal: AbortSignal;
  onTokens: (count: number) => void;
  onPendingTokens: (read: (() => number) | null) => void;
  onBoundary: ((edge: RepetitionBoundary, epochMs: number) => void) | undefined;
}

/** Measures one repetition of one prompt. */
export type MeasureOne<P extends MeasurablePrompt> = (p: P, hooks: RepetitionHooks) => Promise<MeasuredRepetition>;

/** A repetition generated in this process, on the prepared model and context. */
export function measureLocally(run: PreparedRun, temperature: number, seed: number): MeasureOne<PreparedPrompt> {
  return (p, hooks) =>
    measureRepetition({
      model: run.model,
      sequence: run.sequence,
      tokens: p.tokens,
      maxTokens: p.maxTokens,
      ignoreEos: p.prompt.ignoreEos,
      temperature,
      seed,
      threads: run.threads,
      ...hooks,
    });
}

export interface MeasureSuiteOptions<P extends MeasurablePrompt = PreparedPrompt> {
  db: Db;
  runId: number;
  run: { prompts: readonly P[] };
  measure: MeasureOne<P>;
  suite: LoadedSuite;
  settings: Pick<BenchmarkSettings, 'idleSeconds' | 'warmup' | 'reps'>;
  sampler: Sampler;
  /** Read by the sampler at every tick: the stage sets phase, prompt and tokens so far. */
  state: SamplerState;
  /** Whether a power source reads a counter on demand, so a tick at each repetition boundary pays. */
  markEdges: boolean;
  signal: AbortSignal;
  progress?: BenchmarkProgress;
  /** Filled as repetitions are stored, in the same order: what a run ended early keeps. */
  measured: RepetitionResult[];
  resultIds: number[];
}

export async function measureSuite<P extends MeasurablePrompt>(opts: MeasureSuiteOptions<P>): Promise<void> {
  const { settings, state, signal, run, sampler } = opts;
  if (settings.idleSeconds > 0 && !signal.aborted) {
    opts.progress?.onStage?.('idle', `${settings.idleSeconds} s`);
    state.phase = 'idle';
    await sleep(settings.idleSeconds * 1000, signal);
  }

  opts.progress?.onStage?.('running');
  const totalSteps = run.prompts.length * (settings.warmup + settings.reps);
  let step = 0;
  for (const p of run.prompts) {
    state.promptIndex = p.index;
    for (let i = 0; i < settings.warmup + settings.reps; i++) {
      if (signal.aborted) return;
      const warmup = i < settings.warmup;
      const rep = warmup ? i : i - settings.warmup;
      state.phase = warmup ? 'warmup' : 'measure';
      opts.progress?.onStep?.({ prompt: p, rep, warmup, step: ++step, totalSteps, reps: settings.reps, warmups: settings.warmup });
      const m = await opts.measure(p, {
        signal,
        onTokens: (count) => void (state.tokensGenerated += count),
        onPendingTokens: (read) => void (state.pendingTokens = read),
        // A tick at every boundary of a measured repetition: counters are read there, not split by time.
        // Only for sources that read a counter on demand; the others are pro rata whatever the ticks, and a
        // mark costs ~0.1 ms in the token loop (1–2 % of generation on a tiny model: bench/overhead.ts).
        onBoundary: warmup || !opts.markEdges ? undefined : (_edge, epochMs) => sampler.mark(epochMs),
      });
      // A repetition cut short by an interruption is not a measurement.
      if (warmup || m.stopReason === 'aborted') continue;
      const correct = p.prompt.expect ? gradeAnswer(p.prompt.expect, m.output, p.prompt.lang).correct : null;
      const result: RepetitionResult = { promptId: p.prompt.id, promptIndex: p.index, rep, ...m, energyJ: null, correct };
      opts.resultIds.push(insertResult(opts.db, opts.runId, result));
      opts.measured.push(result);
      opts.progress?.onResult?.(result);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
