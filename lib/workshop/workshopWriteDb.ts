// The one writable handle of the dashboard's process, for the workshop's upload and progress endpoints only
// (the pages read through the read-only getDashboardDb). It never creates or migrates: `wattbench workshop`
// opened the file with openDb (migrations) and created the workshop before starting the server. Not openDb
// itself: its migrations folder is resolved from its own module path, which Next's server bundle does not keep.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema';
import type { Db } from '../db/openDb';
import { schemaProblem } from '../db/schemaProblem';
import { dashboardDbPath } from '../queries/dashboardDb';

interface Cache {
  path: string;
  db: Db;
  ino: number;
}

const holder = globalThis as typeof globalThis & { __wattbenchWorkshopWriteDb?: Cache };

/** The dashboard's database opened for writing, or the one-line reason it cannot be. */
export function getWorkshopWriteDb(): { ok: true; db: Db } | { ok: false; reason: string } {
  const path = dashboardDbPath();
  let ino: number;
  try {
    ino = fs.statSync(path).ino;
  } catch {
    return { ok: false, reason: `no database at ${path}; start the workshop with wattbench workshop` };
  }
  const cached = holder.__wattbenchWorkshopWriteDb;
  if (cached && cached.path === path && cached.ino === ino) return { ok: true, db: cached.db };
  cached?.db.$client.close();
  holder.__wattbenchWorkshopWriteDb = undefined;
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { fileMustExist: true });
    // Uploads queue behind one another (and behind a run writing samples) instead of failing on a busy file.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    return { ok: false, reason: `cannot write ${path} (${(err as Error).message}); give the leader's database a writable folder` };
  }
  const problem = schemaProblem(sqlite);
  if (problem) {
    sqlite.close();
    return { ok: false, reason: `${path} is not a current wattbench database (${problem}); start the workshop with wattbench workshop` };
  }
  const db = drizzle(sqlite, { schema }) as Db;
  holder.__wattbenchWorkshopWriteDb = { path, db, ino };
  return { ok: true, db };
}
