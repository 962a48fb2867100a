// The rows of a stored run that its record (readStoredRun) leaves out but an upload carries: the per-repetition
// energy rows and the time series. Read here so lib/workshop/runUpload.ts reads a run through lib/records only.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { energy, samples, type EnergyRow, type SampleRow } from '../db/schema';

/** Energy rows of single repetitions (resultId set), in the order they were written. */
export function readRepetitionEnergyRows(db: Db, runId: number): EnergyRow[] {
  return db
    .select()
    .from(energy)
    .where(and(eq(energy.runId, runId), isNotNull(energy.resultId)))
    .orderBy(asc(energy.id))
    .all();
}

/** Every sample of a run in time order (a 3-hour run has ~100k: callers downsample before keeping them). */
export function readRunSamples(db: Db, runId: number): SampleRow[] {
  return db.select().from(samples).where(eq(samples.runId, runId)).orderBy(asc(samples.t), asc(samples.id)).all();
}
