// The workshop's writes other than ingest on PostgreSQL (`wattbench workshop --database-url`): creating a workshop
// and recording a participant's progress. The decisions (join code, token, model files' sha256 and size) stay
// lib/workshop's: createWorkshop runs against a private in-memory SQLite database and its row is copied here.
import { eq } from 'drizzle-orm';
import { openDb } from '../openDb';
import type { WorkshopRow } from '../schema';
import { createWorkshop, type CreatedWorkshop, type CreateWorkshopOptions } from '../../workshop/createWorkshop';
import type { ProgressReport } from '../../workshop/recordProgress';
import { isJoinCode } from '../../workshop/joinCode';
import type { PgDb } from './openPgDb';
import { workshopParticipants, workshops } from './schema';

/** A new workshop in `db`: what createWorkshop gives, its join code unique in this database (drawn again on a clash). */
export async function createWorkshopPg(db: PgDb, options: CreateWorkshopOptions): Promise<CreatedWorkshop> {
  const scratch = openDb(':memory:', { recoverOrphans: false });
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      const created = await createWorkshop(scratch, options);
      const { id: _scratchId, ...row } = created.workshop;
      const [stored] = await db.insert(workshops).values(row).onConflictDoNothing({ target: workshops.code }).returning();
      if (stored) return { ...created, workshop: stored as WorkshopRow };
    }
  } finally {
    scratch.$client.close();
  }
  throw new Error('could not draw a free join code in 20 tries');
}

/** getWorkshopByCode on PostgreSQL: null for an unknown code, or text that is no join code at all. */
export async function getWorkshopByCodePg(db: PgDb, code: string): Promise<WorkshopRow | null> {
  if (!isJoinCode(code)) return null;
  const [row] = await db.select().from(workshops).where(eq(workshops.code, code));
  return row ?? null;
}

/** recordProgress (lib/workshop/recordProgress.ts) on PostgreSQL: one row per machine, replaced by each report. */
export async function recordProgressPg(
  db: PgDb,
  workshopId: number,
  p: ProgressReport,
  now = Date.now(),
): Promise<void> {
  const values = { nickname: p.nickname, phase: p.phase, done: p.done ?? null, total: p.total ?? null, detail: p.detail ?? null, updatedAt: now };
  await db
    .insert(workshopParticipants)
    .values({ workshopId, clientId: p.clientId, joinedAt: now, ...values })
    .onConflictDoUpdate({ target: [workshopParticipants.workshopId, workshopParticipants.clientId], set: values });
}
