// ingestRun (lib/workshop/ingestRun.ts) on PostgreSQL: the same rows (`uploadRows`, pure) written in one transaction.
// Idempotent by the upload key even when the same upload arrives twice at once (a participant retrying while the
// first request is still being written, or two leaders' servers on one database): a transaction-scoped advisory
// lock on the key serialises them, the second then finds the first's row; the unique index stays the last word.
import { eq, sql } from 'drizzle-orm';
import type { IngestResult } from '../../workshop/ingestRun';
import type { RunUpload } from '../../workshop/runUpload';
import { uploadRows } from '../../workshop/uploadRows';
import type { PgDb } from './openPgDb';
import { energy, hardware, models, results, runs, samples, workshopRuns } from './schema';

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const CHUNK = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

const UNIQUE_VIOLATION = '23505';

async function findUpload(db: Pick<PgDb, 'select'>, uploadKey: string): Promise<number | undefined> {
  const [row] = await db.select({ runId: workshopRuns.runId }).from(workshopRuns).where(eq(workshopRuns.uploadKey, uploadKey));
  return row?.runId;
}

export async function ingestRunPg(db: PgDb, workshop: { id: number }, upload: RunUpload, uploadedAt = Date.now()): Promise<IngestResult> {
  const rows = uploadRows(upload, uploadedAt);
  const key = rows.workshopRun.uploadKey;
  try {
    return await db.transaction(async (tx) => {
      // READ COMMITTED: once the lock is ours, this select sees a first upload committed meanwhile.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
      const existing = await findUpload(tx, key);
      if (existing !== undefined) return { runId: existing, duplicate: true };

      // Found or created: ON CONFLICT waits for a concurrent insert of the same machine or model, then finds it.
      await tx.insert(hardware).values(rows.hardware).onConflictDoNothing({ target: hardware.fingerprint });
      const [hw] = await tx.select({ id: hardware.id }).from(hardware).where(eq(hardware.fingerprint, rows.hardware.fingerprint));
      await tx.insert(models).values(rows.model).onConflictDoNothing({ target: models.sha256 });
      const [model] = await tx.select({ id: models.id }).from(models).where(eq(models.sha256, rows.model.sha256));

      const [run] = await tx
        .insert(runs)
        .values({ ...rows.run, modelId: model.id, hardwareId: hw.id })
        .returning({ id: runs.id });
      const runId = run.id;
      const resultIds: number[] = [];
      for (const part of chunks(rows.results)) {
        const ids = await tx
          .insert(results)
          .values(part.map((r) => ({ ...r, runId })))
          .returning({ id: results.id });
        resultIds.push(...ids.map((r) => r.id));
      }
      for (const part of chunks(rows.energy)) {
        await tx.insert(energy).values(part.map(({ resultIndex, ...e }) => ({ ...e, runId, resultId: resultIndex === null ? null : resultIds[resultIndex] })));
      }
      for (const part of chunks(rows.samples)) {
        await tx.insert(samples).values(part.map((s) => ({ ...s, runId })));
      }
      await tx.insert(workshopRuns).values({ ...rows.workshopRun, workshopId: workshop.id, runId });
      return { runId, duplicate: false };
    });
  } catch (err) {
    // Another writer that did not take the lock (an older wattbench) got there first: its row stands.
    const cause = (err as { cause?: { code?: string } }).cause ?? (err as { code?: string });
    if (cause.code === UNIQUE_VIOLATION) {
      const runId = await findUpload(db, key);
      if (runId !== undefined) return { runId, duplicate: true };
    }
    throw err;
  }
}
