// Compares a database's tables and columns with lib/db/schema.ts, generically: a column added to the schema
// later is checked without touching this file.
import type Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { SQLiteTable, getTableConfig } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';

const TABLES: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));

/** True when the file holds no table at all (a new or zero-byte file). */
export function isEmptyDatabase(sqlite: Database.Database): boolean {
  return sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get() === undefined;
}

/** The first table or column of the schema the database lacks, in words; null when it has them all. */
export function schemaProblem(sqlite: Database.Database): string | null {
  for (const table of TABLES) {
    const config = getTableConfig(table);
    const present = new Set(
      (sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(config.name) as { name: string }[]).map((c) => c.name),
    );
    if (present.size === 0) return `table "${config.name}" is missing`;
    const absent = config.columns.find((c) => !present.has(c.name));
    if (absent) return `table "${config.name}" has no column "${absent.name}"`;
  }
  return null;
}
