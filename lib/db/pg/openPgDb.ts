// Opens a PostgreSQL database (--database-url / WATTBENCH_DATABASE_URL) for wattbench: a connection pool, the
// migrations of drizzle/pg applied in one transaction, and every failure to get there as one line naming the fix.
// The URL's password is never printed: messages name the database by its display form (pgUrl.ts).
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import * as pgSchema from './schema';
import { DatabaseError, ExitCode } from '../../errors/WattbenchError';
import { parsePgUrl, type PgUrl } from './pgUrl';
import { migrationsFolder } from './migrationsFolder';

export type PgDb = NodePgDatabase<typeof pgSchema> & { $client: pg.Pool };

/** Drizzle's own history table, so `drizzle-kit migrate` and this agree on what is applied. */
const HISTORY = '"drizzle"."__drizzle_migrations"';
/** Serialises migrations between processes opening the same database at once (pg_advisory_xact_lock key). */
const MIGRATION_LOCK = 0x77617474; // "watt"

let known: MigrationMeta[] | undefined;
function knownPgMigrations(): MigrationMeta[] {
  known ??= readMigrationFiles({ migrationsFolder: migrationsFolder('drizzle/pg') });
  return known;
}

export interface OpenPgDbOptions {
  /** Most connections the pool holds (default 10, node-postgres's). */
  max?: number;
}

interface PgDriverError {
  code?: string;
  message: string;
}

/** One line for a failure to reach or prepare the database, naming the fix; the password replaced if it appears. */
export function pgFailureMessage(err: unknown, target: PgUrl, password?: string): string {
  const { code, message } = err as PgDriverError;
  const where = target.display;
  const hostPort = `${target.host}:${target.port}`;
  let line: string;
  switch (code) {
    case 'ECONNREFUSED':
      line = `cannot connect to PostgreSQL at ${hostPort} (connection refused): start the server, or fix the host and port in ${where}`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      line = `cannot connect to PostgreSQL: host ${target.host} not found; fix the host in ${where}`;
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      line = `cannot connect to PostgreSQL at ${hostPort} (${code}): check the server is reachable from here, or fix ${where}`;
      break;
    case '28P01':
      line = `PostgreSQL refused the password of user ${target.user || '(none)'} for ${where}: fix the password in the URL`;
      break;
    case '28000':
      line = `PostgreSQL refused user ${target.user || '(none)'} for ${where} (${message}): fix the user in the URL or the server's pg_hba.conf`;
      break;
    case '3D000':
      line = `database ${target.database} does not exist on ${hostPort}: create it (\`createdb ${target.database}\`) or fix the URL`;
      break;
    case '42501':
      line = `user ${target.user || '(none)'} may not create wattbench's tables in ${where} (${message}): grant it CREATE on the database, or use another user`;
      break;
    default:
      if (/password|SASL|SCRAM/i.test(message)) {
        line = `PostgreSQL asks for a password for ${where}: put it in the URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)`;
      } else {
        line = `cannot open PostgreSQL database ${where}: ${message}`;
      }
  }
  line = line.replace(/\s*\n\s*/g, ' ');
  return password ? line.split(password).join('***') : line;
}

function passwordOf(url: string): string | undefined {
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies the migrations this database lacks, in one transaction under an advisory lock (two first opens at once
 * wait for each other instead of both creating the tables). A history this code does not know (a newer wattbench,
 * or another program's) is refused before anything is written.
 */
async function migrate(client: pg.PoolClient, target: PgUrl): Promise<void> {
  const migrations = knownPgMigrations();
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS "drizzle"');
    await client.query(`CREATE TABLE IF NOT EXISTS ${HISTORY} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
    const { rows } = await client.query<{ hash: string; created_at: string }>(`SELECT hash, created_at FROM ${HISTORY} ORDER BY created_at`);
    const knownHashes = new Set(migrations.map((m) => m.hash));
    const lastKnown = migrations.at(-1)?.folderMillis ?? 0;
    const unknown = rows.find((r) => !knownHashes.has(r.hash));
    if (unknown) {
      const message =
        Number(unknown.created_at) > lastKnown
          ? `${target.display} was written by a newer wattbench; upgrade wattbench or use another database`
          : `${target.display} holds a schema history this wattbench did not write; use another database`;
      throw new DatabaseError(message, target.display);
    }
    const applied = new Set(rows.map((r) => r.hash));
    for (const migration of migrations) {
      if (applied.has(migration.hash)) continue;
      for (const statement of migration.sql) if (statement.trim()) await client.query(statement);
      await client.query(`INSERT INTO ${HISTORY} (hash, created_at) VALUES ($1, $2)`, [migration.hash, migration.folderMillis]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Opens `url` for wattbench: connected, migrated, ready. Close it with `closePgDb`. Failures: DatabaseError (exit 2). */
export async function openPgDb(url: string, options: OpenPgDbOptions = {}): Promise<PgDb> {
  const target = parsePgUrl(url);
  const password = passwordOf(url);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 15_000 });
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client, target);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(pgFailureMessage(err, target, password), target.display, ExitCode.badInput);
  }
  return drizzle(pool, { schema: pgSchema }) as PgDb;
}

/** Ends the pool's connections. */
export async function closePgDb(db: PgDb): Promise<void> {
  await db.$client.end();
}
