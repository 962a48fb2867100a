// The workshop store of the dashboard's server process: PostgreSQL when WATTBENCH_DATABASE_URL is set (the leader
// ran `wattbench workshop --database-url`), else the SQLite file (WATTBENCH_DB) through the dashboard's read-only
// handle for reads and the workshop's writable one for uploads and progress. The routes and the workshop page
// take their store here, so neither knows which database the leader chose.
import { getDashboardDb } from '../../queries/dashboardDb';
import { getWorkshopWriteDb } from '../../workshop/workshopWriteDb';
import { getServerPgDb } from './serverPgDb';
import { pgWorkshopStore, sqliteWorkshopStore, type WorkshopStore } from './workshopStore';

export type DashboardWorkshopStore = { ok: true; store: WorkshopStore } | { ok: false; reason: string };

export async function getDashboardWorkshopStore(mode: 'read' | 'write'): Promise<DashboardWorkshopStore> {
  const pg = getServerPgDb();
  if (pg) {
    try {
      return { ok: true, store: pgWorkshopStore(await pg) };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  }
  if (mode === 'write') {
    const conn = getWorkshopWriteDb();
    return conn.ok ? { ok: true, store: sqliteWorkshopStore(conn.db) } : { ok: false, reason: conn.reason };
  }
  const conn = getDashboardDb();
  if (conn.status === 'missing') return { ok: false, reason: `the leader's database is not available (${conn.reason}); restart wattbench workshop` };
  return { ok: true, store: sqliteWorkshopStore(conn.db) };
}
