// The dashboard's database: read-only, opened once per process (cached on globalThis across Next's reloads) and
// reopened when the file is replaced. Deliberately not lib/db/openDb: the dashboard never migrates or writes, and
// the migrations folder is unknown inside Next's server bundle (the CLI checks the schema history before `serve`).
import fs from 'node:fs';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema';
import type { Db } from '../db/openDb';
import { resolveDbPath } from '../db/dbPath';
import { openReadOnly } from '../db/openReadOnly';
import { isEmptyDatabase, schemaProblem } from '../db/schemaProblem';

/**
 * "missing": no runs to show, and why — "absent" (no file yet, or no table yet: the empty state), "gone" (the file
 * the dashboard was reading was deleted), "unreadable" (not a wattbench database any more; `problem` says why).
 */
export type DashboardDb =
  | { status: 'ok'; db: Db; path: string }
  | { status: 'missing'; path: string; reason: 'absent' | 'gone' | 'unreadable'; problem?: string };

interface Cache {
  path: string;
  db: Db;
  /** Identity of the file opened: a rename or copy onto the path changes it. */
  dev: number;
  ino: number;
}

const holder = globalThis as typeof globalThis & { __wattbenchDashboardDb?: Cache; __wattbenchDashboardSeen?: string };

/** WATTBENCH_DB (set by `wattbench serve --db`), else ./data/wattbench.db, as an absolute path. */
export function dashboardDbPath(): string {
  return resolveDbPath();
}

function forget(): void {
  holder.__wattbenchDashboardDb?.db.$client.close();
  holder.__wattbenchDashboardDb = undefined;
}

/**
 * The database named by WATTBENCH_DB (else ./data/wattbench.db), read-only. One stat per call tells whether the
 * file is still the one open: a replaced file is reopened, a deleted one is reported as "gone".
 */
export function getDashboardDb(): DashboardDb {
  const path = dashboardDbPath();
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(path);
  } catch {
    stat = null;
  }
  const cached = holder.__wattbenchDashboardDb;
  if (cached && cached.path === path && stat && stat.dev === cached.dev && stat.ino === cached.ino) return { status: 'ok', db: cached.db, path };
  forget();
  if (!stat) return { status: 'missing', path, reason: holder.__wattbenchDashboardSeen === path ? 'gone' : 'absent' };
  let handle;
  try {
    handle = openReadOnly(path);
  } catch (err) {
    return { status: 'missing', path, reason: 'unreadable', problem: (err as Error).message };
  }
  const { sqlite } = handle;
  if (isEmptyDatabase(sqlite)) {
    sqlite.close();
    return { status: 'missing', path, reason: 'absent' };
  }
  const problem = schemaProblem(sqlite);
  if (problem) {
    sqlite.close();
    return { status: 'missing', path, reason: 'unreadable', problem };
  }
  const db = drizzle(sqlite, { schema }) as Db;
  holder.__wattbenchDashboardDb = { path, db, dev: stat.dev, ino: stat.ino };
  holder.__wattbenchDashboardSeen = path;
  return { status: 'ok', db, path };
}
