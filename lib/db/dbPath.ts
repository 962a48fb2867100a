// The one place that decides where the database lives: --db, then WATTBENCH_DB, then ./data/wattbench.db.
import path from 'node:path';

export const DEFAULT_DB_PATH = path.join('data', 'wattbench.db');

export function resolveDbPath(explicit?: string): string {
  const chosen = explicit ?? process.env.WATTBENCH_DB ?? DEFAULT_DB_PATH;
  // Marked so Turbopack does not trace the whole project for a path only known at run time.
  return path.resolve(/*turbopackIgnore: true*/ chosen);
}
