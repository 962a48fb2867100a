// A sweep, as llama-bench does: every combination of the listed models, GPU layers, threads, context sizes and
// batch sizes is one run (runBenchmark, its own runs row), all sharing one sweep id. Combinations run model by
// model, GPU layers next, so one model stays loaded across the combinations that only change its context
// (threads, context, batch); a new model or GPU layer count reloads. An interruption ends the current run as
// interrupted and starts no other; a combination that fails is stored (when it got as far as its run row),
// reported, and the sweep goes on with the next one.
import type { ModelHolder } from './prepareRun';
import { runBenchmark, RunFailedError, type BenchmarkOutcome, type RunBenchmarkOptions } from './runBenchmark';
import { sweepEtaMs, type SweepCombination } from './sweepCombinations';

export type { SweepCombination, SweepModel } from './sweepCombinations';

export interface SweepRun {
  combination: SweepCombination;
  /** 1-based. */
  index: number;
  /** The stored run; null when the combination failed before its run row was written. */
  runId: number | null;
  outcome: BenchmarkOutcome | null;
  /** Why the combination failed; null when it completed or was interrupted. */
  error: unknown;
  durationMs: number;
}

export interface SweepProgress {
  /** Before each combination: its place, and the time left estimated from the completed ones (null: none yet). */
  onCombination?(info: { index: number; total: number; combination: SweepCombination; etaMs: number | null }): void;
  onCombinationEnd?(run: SweepRun): void;
}

export interface RunSweepOptions extends Omit<RunBenchmarkOptions, 'modelSpec' | 'modelPath' | 'modelFacts' | 'sweep' | 'modelHolder'> {
  combinations: SweepCombination[];
  /** Null for a single combination: a single run, not a sweep. */
  sweepId: string | null;
  sweepProgress?: SweepProgress;
}

export async function runSweep(opts: RunSweepOptions): Promise<SweepRun[]> {
  const { combinations, sweepId, sweepProgress, ...base } = opts;
  const holder: ModelHolder = { loaded: null };
  const runs: SweepRun[] = [];
  try {
    for (const [i, combination] of combinations.entries()) {
      // Interrupted (or a crash routed to the signal): the current run ended as such; no other starts.
      if (opts.signal?.aborted) break;
      const index = i + 1;
      sweepProgress?.onCombination?.({ index, total: combinations.length, combination, etaMs: sweepEtaMs(runs.map((r) => r.durationMs), combinations.length - i) });
      const started = performance.now();
      const run: SweepRun = { combination, index, runId: null, outcome: null, error: null, durationMs: 0 };
      try {
        run.outcome = await runBenchmark({
          ...base,
          modelSpec: combination.model.spec,
          modelPath: combination.model.path,
          modelFacts: combination.model.facts,
          settings: { ...base.settings, gpuLayers: combination.gpuLayers, threads: combination.threads, contextSize: combination.contextSize, batchSize: combination.batchSize },
          sweep: sweepId === null ? undefined : { sweepId, index },
          modelHolder: holder,
        });
        run.runId = run.outcome.runId;
      } catch (err) {
        // A single run's failure is the command's, as it always was.
        if (sweepId === null) throw err;
        run.error = err;
        run.runId = err instanceof RunFailedError ? err.runId : null;
      }
      run.durationMs = performance.now() - started;
      runs.push(run);
      sweepProgress?.onCombinationEnd?.(run);
    }
  } finally {
    await holder.loaded?.dispose();
  }
  return runs;
}
