// Writes an uploaded run into a SQLite workshop database in one IMMEDIATE transaction: the machine and model
// rows found or created, the run with its results, energy rows and samples as a local run has them, and the
// workshop_runs row whose unique upload key makes a second upload of the same run a no-op. Any failure rolls
// everything back: nothing half-written.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { energy, hardware, models, results, runs, samples, workshopRuns, type WorkshopRow } from '../db/schema';
import type { RunUpload } from './runUpload';
import { uploadRows } from './uploadRows';

export interface IngestResult {
  runId: number;
  duplicate: boolean;
}

/** Rows per multi-row INSERT: well under SQLite's 32,766 bound variables for the widest table. */
const CHUNK = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export function ingestRun(db: Db, workshop: Pick<WorkshopRow, 'id'>, upload: RunUpload, uploadedAt = Date.now()): IngestResult {
  const rows = uploadRows(upload, uploadedAt);
  const write = db.$client.transaction((): IngestResult => {
    const existing = db
      .select({ runId: workshopRuns.runId })
      .from(workshopRuns)
      .where(eq(workshopRuns.uploadKey, rows.workshopRun.uploadKey))
      .get();
    if (existing) return { runId: existing.runId, duplicate: true };

    db.insert(hardware).values(rows.hardware).onConflictDoNothing({ target: hardware.fingerprint }).run();
    const hardwareId = db.select({ id: hardware.id }).from(hardware).where(eq(hardware.fingerprint, rows.hardware.fingerprint)).get()!.id;
    db.insert(models).values(rows.model).onConflictDoNothing({ target: models.sha256 }).run();
    const modelId = db.select({ id: models.id }).from(models).where(eq(models.sha256, rows.model.sha256)).get()!.id;

    const runId = Number(db.insert(runs).values({ ...rows.run, modelId, hardwareId }).run().lastInsertRowid);
    const resultIds: number[] = [];
    for (const part of chunks(rows.results)) {
      const ids = db
        .insert(results)
        .values(part.map((r) => ({ ...r, runId })))
        .returning({ id: results.id })
        .all();
      resultIds.push(...ids.map((r) => r.id));
    }
    for (const part of chunks(rows.energy)) {
      db.insert(energy)
        .values(part.map(({ resultIndex, ...e }) => ({ ...e, runId, resultId: resultIndex === null ? null : resultIds[resultIndex] })))
        .run();
    }
    for (const part of chunks(rows.samples)) {
      db.insert(samples)
        .values(part.map((s) => ({ ...s, runId })))
        .run();
    }
    db.insert(workshopRuns)
      .values({ ...rows.workshopRun, workshopId: workshop.id, runId })
      .run();
    return { runId, duplicate: false };
  });
  // IMMEDIATE: the write lock is taken at BEGIN, so concurrent uploads queue on busy_timeout instead of failing
  // to upgrade a read lock.
  return write.immediate();
}
