// Opens the SQLite database (WAL), applies migrations, and marks runs orphaned by a dead process.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { DatabaseError } from '../errors/WattbenchError';
import { markOrphanedRuns } from './markOrphanedRuns';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDbOptions {
  /** Open without writing: no migrations, no orphan recovery. Defaults to false. */
  readonly?: boolean;
  /** Mark runs left "running" by dead processes as interrupted. Defaults to true when writable. */
  recoverOrphans?: boolean;
}

const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

export function openDb(dbPath: string, options: OpenDbOptions = {}): Db {
  const readonly = options.readonly ?? false;
  let sqlite: Database.Database;
  try {
    if (!readonly) fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    sqlite = new Database(dbPath, { readonly, fileMustExist: readonly });
    if (!readonly) {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
    }
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    throw new DatabaseError(
      `cannot open database ${dbPath}: ${(err as Error).message}; pass --db with a path in a writable folder`,
      dbPath,
    );
  }
  const db = drizzle(sqlite, { schema }) as Db;
  if (!readonly) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } catch (err) {
      sqlite.close();
      throw new DatabaseError(
        `cannot prepare database ${dbPath}: ${(err as Error).message}; pass --db with a new file or fix the existing one`,
        dbPath,
      );
    }
    if (options.recoverOrphans ?? true) markOrphanedRuns(db);
  }
  return db;
}
