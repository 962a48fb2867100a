// Is this file a wattbench database this version can use? Checked when a database is opened, before any work:
// a garbage file, a damaged schema or a database from a newer wattbench is one line and exit 2, at once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { DatabaseError } from '../errors/WattbenchError';
import { missingDatabaseMessage, openReadOnly } from './openReadOnly';
import { isEmptyDatabase, schemaProblem } from './schemaProblem';

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');
/** Where Drizzle's migrator records the migrations applied to a database (hash, created_at = journal "when"). */
export const MIGRATIONS_TABLE = '__drizzle_migrations';

let known: MigrationMeta[] | null = null;

/** This wattbench's migrations (drizzle/meta/_journal.json and its SQL files), oldest first. */
export function knownMigrations(): MigrationMeta[] {
  known ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  return known;
}

/**
 * Where the database's schema history stands against ours: "empty" (no table yet), "current", "older" (a prefix
 * of ours: migrating brings it up to date), "newer" (a migration later than our last), "foreign" (tables but no
 * history, or a migration we never shipped).
 */
export type SchemaHistory = 'empty' | 'current' | 'older' | 'newer' | 'foreign';

export function schemaHistory(sqlite: Database.Database, migrations: readonly MigrationMeta[] = knownMigrations()): SchemaHistory {
  if (isEmptyDatabase(sqlite)) return 'empty';
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
  if (!hasTable) return 'foreign';
  const applied = (sqlite.prepare(`SELECT created_at AS t FROM "${MIGRATIONS_TABLE}"`).all() as { t: number | string | null }[]).map((r) => Number(r.t));
  const ours = new Set(migrations.map((m) => m.folderMillis));
  const latest = Math.max(0, ...ours);
  if (applied.some((t) => t > latest)) return 'newer';
  if (applied.some((t) => !ours.has(t))) return 'foreign';
  return applied.length < ours.size ? 'older' : 'current';
}

/** The one line for a history this version cannot use as it is; null when it can. */
export function historyMessage(history: SchemaHistory, dbPath: string, mode: 'read' | 'write'): string | null {
  switch (history) {
    case 'newer':
      return `${dbPath} was written by a newer wattbench; upgrade wattbench or use another --db`;
    case 'foreign':
      return `${dbPath} is not a wattbench database (its schema history is not one this wattbench wrote); pass --db with another file`;
    case 'older':
      return mode === 'read' ? `${dbPath} was written by an older wattbench; a \`wattbench run --db ${dbPath}\` upgrades it, or use another --db` : null;
    default:
      return null;
  }
}

export function damagedMessage(dbPath: string, problem: string): string {
  return `${dbPath} is damaged or not a wattbench database (${problem}); pass --db with another file`;
}

/** Throws the DatabaseError for a database that cannot be read as it is (after openReadOnly). */
export function assertReadable(sqlite: Database.Database, dbPath: string): void {
  const history = schemaHistory(sqlite);
  if (history === 'empty') throw new DatabaseError(`${dbPath} holds no runs yet (an empty file); run \`wattbench run\` first or pass --db`, dbPath);
  const refusal = historyMessage(history, dbPath, 'read');
  if (refusal) throw new DatabaseError(refusal, dbPath);
  const problem = schemaProblem(sqlite);
  if (problem) throw new DatabaseError(damagedMessage(dbPath, problem), dbPath);
}

export interface CheckDatabaseOptions {
  /** "read": list, show, export, serve; "write": run. Defaults to "read". */
  mode?: 'read' | 'write';
  /** Accept a file that does not exist yet (or holds no table), instead of refusing it. Defaults to false. */
  allowMissing?: boolean;
}

export interface DatabaseCheck {
  /** False when there is no database yet (allowed by allowMissing, or mode "write"). */
  exists: boolean;
  /** For the user, e.g. that a read-only folder makes the dashboard a snapshot. */
  warning?: string;
}

/**
 * Checks dbPath without changing it (nothing is created, migrated or marked), so a command can refuse a database
 * it cannot use before it starts anything. Throws a DatabaseError (exit 2) with one line naming the problem.
 */
export function checkDatabase(dbPath: string, options: CheckDatabaseOptions = {}): DatabaseCheck {
  const mode = options.mode ?? 'read';
  if (!fs.existsSync(dbPath)) {
    if (mode === 'write' || options.allowMissing) return { exists: false };
    throw new DatabaseError(missingDatabaseMessage(dbPath), dbPath);
  }
  const { sqlite, snapshot } = openReadOnly(dbPath);
  try {
    const history = schemaHistory(sqlite);
    if (history === 'empty' && (mode === 'write' || options.allowMissing)) return { exists: false };
    if (mode === 'read') {
      assertReadable(sqlite, dbPath);
    } else {
      const refusal = historyMessage(history, dbPath, 'write');
      if (refusal) throw new DatabaseError(refusal, dbPath);
    }
  } finally {
    sqlite.close();
  }
  const warning = snapshot
    ? `${dbPath} is in a folder this process cannot write to: it is read from a copy taken now, so runs written later will not appear`
    : undefined;
  return { exists: true, warning };
}
