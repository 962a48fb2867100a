// Opens the SQLite database: for writing (WAL, migrations, orphaned-run recovery) or strictly for reading.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';
import { DatabaseError } from '../errors/WattbenchError';
import { markOrphanedRuns } from './markOrphanedRuns';
import { openReadOnly } from './openReadOnly';
import { assertReadable, damagedMessage, historyMessage, knownMigrations, MIGRATIONS_TABLE, schemaHistory } from './checkDatabase';
import { schemaProblem } from './schemaProblem';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDbOptions {
  /**
   * Open for reading only (list, show, export): the file must exist and be current; nothing is created, migrated
   * or marked, and a read-only file or folder still works. Defaults to false.
   */
  readonly?: boolean;
  /** Mark runs of this machine left "running" by dead processes as interrupted. Defaults to true when writable. */
  recoverOrphans?: boolean;
}

/**
 * Applies the migrations this database lacks. Drizzle's own migrator reads the history before it takes the write
 * lock, so two first runs on a new file both try to create the tables and one fails: here the check and the
 * migrations happen in one IMMEDIATE transaction, in the same history table Drizzle uses.
 */
function migrate(sqlite: Database.Database, dbPath: string): void {
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const refusal = historyMessage(schemaHistory(sqlite), dbPath, 'write');
    if (refusal) throw new DatabaseError(refusal, dbPath);
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    const last = sqlite.prepare(`SELECT max(created_at) AS t FROM "${MIGRATIONS_TABLE}"`).get() as { t: number | null };
    const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
    for (const migration of knownMigrations()) {
      if (last.t !== null && Number(last.t) >= migration.folderMillis) continue;
      for (const statement of migration.sql) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
    const problem = schemaProblem(sqlite);
    if (problem) throw new DatabaseError(damagedMessage(dbPath, problem), dbPath);
    sqlite.exec('COMMIT');
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
}

function openForWriting(dbPath: string): Database.Database {
  let sqlite: Database.Database;
  try {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    sqlite = new Database(dbPath);
  } catch (err) {
    throw new DatabaseError(`cannot open database ${dbPath}: ${(err as Error).message}; pass --db with a path in a writable folder`, dbPath);
  }
  try {
    // Before anything that locks: two processes opening a new file at once wait for each other.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    migrate(sqlite, dbPath);
  } catch (err) {
    sqlite.close();
    if (err instanceof DatabaseError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseError(`${dbPath} is not a wattbench database (not a readable SQLite file); pass --db with another file`, dbPath);
    }
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
      throw new DatabaseError(`cannot write database ${dbPath} (${code}); pass --db with a file you can write, in a writable folder`, dbPath);
    }
    throw new DatabaseError(`cannot prepare database ${dbPath}: ${(err as Error).message}; pass --db with a new file or fix the existing one`, dbPath);
  }
  return sqlite;
}

export function openDb(dbPath: string, options: OpenDbOptions = {}): Db {
  if (options.readonly) {
    const { sqlite } = openReadOnly(dbPath);
    try {
      assertReadable(sqlite, dbPath);
    } catch (err) {
      sqlite.close();
      throw err;
    }
    return drizzle(sqlite, { schema }) as Db;
  }
  const db = drizzle(openForWriting(dbPath), { schema }) as Db;
  if (options.recoverOrphans ?? true) markOrphanedRuns(db);
  return db;
}
