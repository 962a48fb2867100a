// Stores a finished run's chart series (`run_series`), so the run page reads one row instead of every sample.
// Call once the run's last samples are flushed and its row finished (completed, failed or interrupted).
import type { Db } from './openDb';
import { computeRunSeries, RUN_SERIES_POINTS } from '../series/runSeries';

/**
 * Computes and stores the run's series when it has more samples than `maxPoints` (shorter runs are read
 * directly: as fast as the stored copy). Returns whether a row was written.
 */
export function storeRunSeries(db: Db, runId: number, maxPoints = RUN_SERIES_POINTS): boolean {
  const series = computeRunSeries(db, runId, maxPoints);
  const client = db.$client;
  if (series.sampleCount <= maxPoints) {
    client.prepare('DELETE FROM run_series WHERE run_id = ?').run(runId);
    return false;
  }
  client
    .prepare('INSERT OR REPLACE INTO run_series (run_id, max_points, sample_count, series) VALUES (?, ?, ?, ?)')
    .run(runId, maxPoints, series.sampleCount, JSON.stringify(series));
  return true;
}

/**
 * Stores the series of every finished run with more than `maxPoints` samples and no fresh stored copy (runs
 * recorded before `run_series` existed). Returns the run ids written.
 */
export function backfillRunSeries(db: Db, maxPoints = RUN_SERIES_POINTS): number[] {
  const ids = db.$client
    .prepare(
      `SELECT c.id FROM (SELECT run_id AS id, count(*) AS n FROM samples GROUP BY run_id) c JOIN runs r ON r.id = c.id
        WHERE r.status <> 'running' AND c.n > ?
          AND NOT EXISTS (SELECT 1 FROM run_series x WHERE x.run_id = c.id AND x.max_points = ? AND x.sample_count = c.n)
        ORDER BY c.id`,
    )
    .all(maxPoints, maxPoints) as { id: number }[];
  return ids.filter(({ id }) => storeRunSeries(db, id, maxPoints)).map(({ id }) => id);
}
