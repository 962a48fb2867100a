// Which database a command uses: SQLite (the default: --db, WATTBENCH_DB, ./data/wattbench.db) or PostgreSQL
// (--database-url or WATTBENCH_DATABASE_URL). A flag beats the environment; two choices at the same level are
// bad input (exit 2), never a silent pick.
import { InputError } from '../../errors/WattbenchError';
import { DEFAULT_DB_PATH, resolveDbPath } from '../dbPath';
import { parsePgUrl, type PgUrl } from './pgUrl';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | ({ dialect: 'postgres' } & PgUrl);

export interface DatabaseTargetOptions {
  /** --db FILE */
  db?: string;
  /** --database-url URL */
  databaseUrl?: string;
}

export function resolveDatabaseTarget(options: DatabaseTargetOptions, env: Record<string, string | undefined> = process.env): DatabaseTarget {
  if (options.db !== undefined && options.databaseUrl !== undefined) {
    throw new InputError('--db and --database-url both given: pass one (--db FILE for SQLite, --database-url postgres://… for PostgreSQL)');
  }
  if (options.databaseUrl !== undefined) return { dialect: 'postgres', ...parsePgUrl(options.databaseUrl) };
  if (options.db !== undefined) return { dialect: 'sqlite', path: resolveDbPath(options.db) };
  const envUrl = env.WATTBENCH_DATABASE_URL;
  if (envUrl) {
    if (env.WATTBENCH_DB) {
      throw new InputError('WATTBENCH_DB and WATTBENCH_DATABASE_URL are both set: unset one, or choose with --db FILE or --database-url URL');
    }
    return { dialect: 'postgres', ...parsePgUrl(envUrl, 'WATTBENCH_DATABASE_URL') };
  }
  return { dialect: 'sqlite', path: resolveDbPath(env.WATTBENCH_DB || DEFAULT_DB_PATH) };
}
