// Reads rows from a database a CLI run wrote, opened read-only and closed again (the run's process owns it).
import Database from 'better-sqlite3';

export function queryDb<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(sql).all(...params) as T[];
  } finally {
    sqlite.close();
  }
}
