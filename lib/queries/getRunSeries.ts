// The time series of one run for the run page, at most `maxPoints` points per series (min/max downsampling:
// every spike keeps its true peak).
//
// Why a stored copy: reading a 100,000-sample run means decoding 100,000 rows and parsing as many per-source
// power JSON cells (≈ 440 ms on an idle machine, most of it row decoding and JSON.parse). Aggregating in SQL
// instead (bucketed min/max, json_extract/json_each for the per-source watts, window functions for
// tokens/s and phases) measured only about 2× faster, because SQLite still decodes every row and every JSON
// cell: not enough margin under 300 ms. So the series is computed once when a run ends (`storeRunSeries`, one
// row in `run_series`) and read back here in a few ms. The same `computeRunSeries` is the fallback for a run
// still writing, a run from before `run_series`, a database the dashboard cannot migrate, or a stale copy —
// so both paths give the same result by construction.
import type { Db } from '../db/openDb';
import { computeRunSeries, RUN_SERIES_POINTS, type RunSeries } from '../series/runSeries';

export type { PowerSeries, PhaseSpan, RunSeries } from '../series/runSeries';

/** Per connection: whether `run_series` exists (the dashboard opens older databases read-only, unmigrated). */
const hasTable = new WeakMap<object, boolean>();

export function getRunSeries(db: Db, runId: number, maxPoints = RUN_SERIES_POINTS): RunSeries {
  return readStoredRunSeries(db, runId, maxPoints) ?? computeRunSeries(db, runId, maxPoints);
}

/** The stored series of `runId` when there is one for this budget and the run has gained no sample since. */
export function readStoredRunSeries(db: Db, runId: number, maxPoints = RUN_SERIES_POINTS): RunSeries | null {
  const client = db.$client;
  let exists = hasTable.get(client);
  if (exists === undefined) {
    exists = client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_series'").get() !== undefined;
    hasTable.set(client, exists);
  }
  if (!exists) return null;
  const stored = client.prepare('SELECT max_points, sample_count, series FROM run_series WHERE run_id = ?').get(runId) as
    | { max_points: number; sample_count: number; series: string }
    | undefined;
  if (!stored || stored.max_points !== maxPoints) return null;
  const { n } = client.prepare('SELECT count(*) AS n FROM samples WHERE run_id = ?').get(runId) as { n: number };
  if (n !== stored.sample_count) return null;
  return JSON.parse(stored.series) as RunSeries;
}
