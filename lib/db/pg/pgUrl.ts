// A PostgreSQL URL checked before any connection, and the form of it that may be printed (never the password).
import { InputError } from '../../errors/WattbenchError';

export interface PgUrl {
  /** The URL as given, for the driver only: it may hold the password. */
  url: string;
  /** postgres://USER@HOST:PORT/DATABASE: no password, no query string (which may hold one). */
  display: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

const FORMAT = 'postgres://USER:PASSWORD@HOST:PORT/DATABASE';

/** Parses `url` (from --database-url or WATTBENCH_DATABASE_URL, named by `from`); a bad one is an InputError (exit 2). */
export function parsePgUrl(url: string, from = '--database-url'): PgUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text itself may be a mistyped URL with a password in it: not repeated.
    throw new InputError(`${from} is not a URL: give ${FORMAT}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InputError(`${from} must be a PostgreSQL URL (postgres://…), not ${parsed.protocol}//…: give ${FORMAT}, or --db FILE for SQLite`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new InputError(`${from} names no database: give ${FORMAT}`);
  // A host-less URL connects over the default Unix socket, as libpq does.
  const host = parsed.hostname || 'localhost';
  const port = parsed.port ? Number(parsed.port) : 5432;
  const user = decodeURIComponent(parsed.username);
  const display = `${parsed.protocol}//${user ? `${parsed.username}@` : ''}${parsed.host || host}/${parsed.pathname.replace(/^\//, '')}`;
  return { url, display, host, port, user, database };
}
