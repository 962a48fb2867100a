// The dashboard server's PostgreSQL handle (`wattbench workshop --database-url` starts `next start` with
// WATTBENCH_DATABASE_URL set): one pool per process, opened once (openPgDb: a database this code cannot use is
// refused in one line; the leader's command has already migrated it, so this applies nothing) and reused by
// every request.
import { openPgDb, type PgDb } from './openPgDb';

const holder = globalThis as typeof globalThis & { __wattbenchPgDb?: { url: string; db: Promise<PgDb> } };

/** The pool for `url` (default: WATTBENCH_DATABASE_URL); null when no PostgreSQL database is configured. */
export function getServerPgDb(url = process.env.WATTBENCH_DATABASE_URL): Promise<PgDb> | null {
  if (!url) return null;
  const cached = holder.__wattbenchPgDb;
  if (cached && cached.url === url) return cached.db;
  const db = openPgDb(url);
  holder.__wattbenchPgDb = { url, db };
  // A failed open is not kept: the next request tries again (the server may have been started meanwhile).
  db.catch(() => {
    if (holder.__wattbenchPgDb?.db === db) holder.__wattbenchPgDb = undefined;
  });
  return db;
}
