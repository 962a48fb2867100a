// The dashboard's database: read-only, opened once per process (cached on globalThis across Next's reloads).
// Deliberately not lib/db/openDb: the dashboard never migrates or writes, and the migrations folder is unknown
// inside Next's server bundle.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema';
import type { Db } from '../db/openDb';
import { resolveDbPath } from '../db/dbPath';

export type DashboardDb = { status: 'ok'; db: Db; path: string } | { status: 'missing'; path: string };

interface Cache {
  path: string;
  db: Db;
}

const holder = globalThis as typeof globalThis & { __wattbenchDashboardDb?: Cache };

/** WATTBENCH_DB (set by `wattbench serve --db`), else ./data/wattbench.db, as an absolute path. */
export function dashboardDbPath(): string {
  return resolveDbPath();
}

/**
 * The database named by WATTBENCH_DB (else ./data/wattbench.db), read-only.
 * "missing" while the file does not exist or has no tables yet: the pages show their empty state.
 */
export function getDashboardDb(): DashboardDb {
  const path = dashboardDbPath();
  const cached = holder.__wattbenchDashboardDb;
  if (cached && cached.path === path) return { status: 'ok', db: cached.db, path };
  if (!fs.existsSync(path)) return { status: 'missing', path };
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  const hasRuns = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get();
  if (!hasRuns) {
    sqlite.close();
    return { status: 'missing', path };
  }
  const db = drizzle(sqlite, { schema }) as Db;
  holder.__wattbenchDashboardDb = { path, db };
  return { status: 'ok', db, path };
}
