// The workshop's board (machines, leaderboard, room totals) from a PostgreSQL database, through the one read layer:
// the workshop's rows (the workshop, its participants and uploads, their runs, results, whole-run energy rows,
// machines and models; samples and per-repetition energy are not on the board) are copied with their ids into a private in-memory SQLite database, and
// lib/records' getWorkshopBoard reads them there. So PostgreSQL and SQLite give the same board by construction,
// rather than by two queries kept in step. A room's board is a few dozen runs: a copy of a few thousand rows.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from '../openDb';
import { migrationsFolder } from './migrationsFolder';
import * as lite from '../schema';
import { getWorkshopBoard, type WorkshopBoard } from '../../records/workshop';
import type { Lang } from '../../i18n/lang';
import type { PgDb } from './openPgDb';
import * as pgs from './schema';

/** Rows per INSERT into the copy (SQLite's bound-variable limit). */
const CHUNK = 400;

/** Inserts `rows` (read from the PG table of the same name: its rows have the SQLite row's type) into `table`. */
function insertAll<T extends SQLiteTable>(db: Db, table: T, rows: ReadonlyArray<T['$inferInsert']>): void {
  for (let i = 0; i < rows.length; i += CHUNK) db.insert(table).values(rows.slice(i, i + CHUNK)).run();
}

/**
 * An empty in-memory SQLite database with wattbench's tables. Not openDb: in the dashboard's server bundle its
 * migrations folder is found only through the working directory (migrationsFolder).
 */
function openMemoryDb(): Db {
  // Migrated once per process, then cloned from its serialised image: the board is polled every few seconds.
  if (!emptyImage) {
    const first = new Database(':memory:');
    for (const migration of readMigrationFiles({ migrationsFolder: migrationsFolder('drizzle') })) {
      for (const statement of migration.sql) if (statement.trim()) first.exec(statement);
    }
    emptyImage = first.serialize();
    first.close();
  }
  const sqlite = new Database(emptyImage);
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema: lite }) as Db;
}
let emptyImage: Buffer | undefined;

/** A private SQLite copy of workshop `code`'s rows in `pg` (null: no such workshop). Close it after use. */
export async function copyWorkshopToSqlite(pg: PgDb, code: string): Promise<{ db: Db; workshop: lite.WorkshopRow } | null> {
  // One snapshot for every select: a run uploaded meanwhile is either wholly in the copy or not at all.
  const rows = await pg.transaction(
    async (tx) => {
      const [workshop] = await tx.select().from(pgs.workshops).where(eq(pgs.workshops.code, code));
      if (!workshop) return null;
      const uploads = await tx.select().from(pgs.workshopRuns).where(eq(pgs.workshopRuns.workshopId, workshop.id));
      const participants = await tx.select().from(pgs.workshopParticipants).where(eq(pgs.workshopParticipants.workshopId, workshop.id));
      const runIds = uploads.map((u) => u.runId);
      const runs = runIds.length ? await tx.select().from(pgs.runs).where(inArray(pgs.runs.id, runIds)) : [];
      const results = runIds.length ? await tx.select().from(pgs.results).where(inArray(pgs.results.runId, runIds)) : [];
      // The board reads whole-run energy rows only (resultId null), not the per-repetition ones.
      const energy = runIds.length ? await tx.select().from(pgs.energy).where(and(inArray(pgs.energy.runId, runIds), isNull(pgs.energy.resultId))) : [];
      const hardwareIds = [...new Set(runs.map((r) => r.hardwareId))];
      const modelIds = [...new Set(runs.map((r) => r.modelId))];
      const hardware = hardwareIds.length ? await tx.select().from(pgs.hardware).where(inArray(pgs.hardware.id, hardwareIds)) : [];
      const models = modelIds.length ? await tx.select().from(pgs.models).where(inArray(pgs.models.id, modelIds)) : [];
      return { workshop, uploads, participants, runs, results, energy, hardware, models };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  if (!rows) return null;
  const db = openMemoryDb();
  try {
    db.$client.transaction(() => {
      insertAll(db, lite.hardware, rows.hardware);
      insertAll(db, lite.models, rows.models);
      insertAll(db, lite.runs, rows.runs);
      insertAll(db, lite.results, rows.results);
      insertAll(db, lite.energy, rows.energy);
      insertAll(db, lite.workshops, [rows.workshop]);
      insertAll(db, lite.workshopRuns, rows.uploads);
      insertAll(db, lite.workshopParticipants, rows.participants);
    })();
  } catch (err) {
    db.$client.close();
    throw err;
  }
  return { db, workshop: rows.workshop as lite.WorkshopRow };
}

/** getWorkshopBoard for workshop `code` in a PostgreSQL database (null: no such workshop). */
export async function getWorkshopBoardPg(pg: PgDb, code: string, lang: Lang = 'en'): Promise<WorkshopBoard | null> {
  const copy = await copyWorkshopToSqlite(pg, code);
  if (!copy) return null;
  try {
    return getWorkshopBoard(copy.db, copy.workshop, lang);
  } finally {
    copy.db.$client.close();
  }
}
