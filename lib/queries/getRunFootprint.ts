// One run's footprint inputs (read by lib/records) handed to the estimator (when there is one) for the local/cloud comparison.
import type { Db } from '../db/openDb';
import { footprintEstimator } from './footprintEstimator';
import { getRunFootprintInput } from '../records/getRunFootprintInput';
import { listCompletedRuns, type CompletedRunOption } from '../records/listRunSummaries';
import type { Lang } from '../i18n/lang';
import type { FootprintComparison, FootprintEstimator, FootprintInput } from './footprintTypes';

export interface RunFootprint {
  input: FootprintInput;
  /** Null when no estimator is available in this build. */
  comparison: FootprintComparison | null;
  estimatorAvailable: boolean;
  /** Why the estimator failed, if it threw. */
  error: string | null;
}

/**
 * The inputs of the comparison for a run (lib/records' getRunFootprintInput, the one `wattbench footprint --run`
 * reads), its energy described in `lang`; null when the run does not exist or is a monitor run.
 */
export function getFootprintInput(db: Db, runId: number, country: string | null, lang: Lang = 'en'): FootprintInput | null {
  const input = getRunFootprintInput(db, runId, lang);
  // A monitor run generated no tokens: nothing to compare (the page answers 404, like an unknown run).
  if (!input || input.kind === 'monitor') return null;
  return {
    runId,
    country,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    answers: input.repetitions,
    local: input.local ? { ...input.local, wh: input.local.joules / 3600 } : null,
    model: input.model,
  };
}

/** The glue the lead can rewire: inputs from the database, comparison from lib/footprint. */
export function getRunFootprint(
  db: Db,
  runId: number,
  country: string | null,
  estimator: FootprintEstimator | null = footprintEstimator,
  lang: Lang = 'en',
): RunFootprint | null {
  const input = getFootprintInput(db, runId, country, lang);
  if (!input) return null;
  if (!estimator) return { input, comparison: null, estimatorAvailable: false, error: null };
  try {
    return { input, comparison: estimator.compare(input), estimatorAvailable: true, error: null };
  } catch (err) {
    return { input, comparison: null, estimatorAvailable: true, error: (err as Error).message };
  }
}

/** Completed runs to choose from, newest first (at most 300). */
export function getFootprintRuns(db: Db): CompletedRunOption[] {
  return listCompletedRuns(db, 300);
}

/** The countries the page offers (none without an estimator). */
export function getFootprintCountries(estimator: FootprintEstimator | null = footprintEstimator) {
  return estimator ? estimator.countries() : [];
}
