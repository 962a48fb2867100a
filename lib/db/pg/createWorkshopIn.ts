// `wattbench workshop`'s database step for either dialect: open the chosen database (SQLite file or PostgreSQL,
// `resolveDatabaseTarget`), migrate it, create the workshop, close it; and the environment the dashboard's server
// needs to find the same database (getDashboardWorkshopStore reads WATTBENCH_DATABASE_URL, else WATTBENCH_DB).
import { openDb } from '../openDb';
import { createWorkshop, type CreatedWorkshop, type CreateWorkshopOptions } from '../../workshop/createWorkshop';
import { closePgDb, openPgDb } from './openPgDb';
import type { DatabaseTarget } from './resolveDatabaseTarget';
import { createWorkshopPg } from './workshopPg';

export interface CreatedWorkshopIn extends CreatedWorkshop {
  /** Environment for `next start` (merge into startDashboard's): the URL holds the password, never print it. */
  serverEnv: Record<string, string>;
  /** The database as it may be printed (a path, or the URL without its password). */
  display: string;
}

export async function createWorkshopIn(target: DatabaseTarget, options: CreateWorkshopOptions): Promise<CreatedWorkshopIn> {
  if (target.dialect === 'sqlite') {
    const db = openDb(target.path);
    try {
      return { ...(await createWorkshop(db, options)), serverEnv: { WATTBENCH_DB: target.path }, display: target.path };
    } finally {
      db.$client.close();
    }
  }
  const db = await openPgDb(target.url);
  try {
    return { ...(await createWorkshopPg(db, options)), serverEnv: { WATTBENCH_DATABASE_URL: target.url }, display: target.display };
  } finally {
    await closePgDb(db);
  }
}

/**
 * Puts `serverEnv` into `env` (this process's: startDashboard hands it to `next start`) and removes the other
 * dialect's variable, so a WATTBENCH_DATABASE_URL left in the shell cannot send a `--db FILE` workshop's server to
 * PostgreSQL.
 */
export function applyServerEnv(created: Pick<CreatedWorkshopIn, 'serverEnv'>, env: Record<string, string | undefined> = process.env): void {
  for (const name of ['WATTBENCH_DB', 'WATTBENCH_DATABASE_URL']) delete env[name];
  Object.assign(env, created.serverEnv);
}
