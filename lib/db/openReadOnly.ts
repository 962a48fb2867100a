// Opens a database file for reading only: never creates it, its folder or anything else beside it, and still
// reads a WAL database whose folder is read-only (where SQLite cannot create the -shm file it needs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError } from '../errors/WattbenchError';

export interface ReadOnlyHandle {
  sqlite: Database.Database;
  /**
   * True when the file could only be read through a private copy (a WAL database in a read-only folder): the
   * copy is a snapshot of the moment it was opened.
   */
  snapshot: boolean;
}

export function missingDatabaseMessage(dbPath: string): string {
  return `no database at ${dbPath}; run \`wattbench run\` first or pass --db`;
}

/** SQLite codes that mean "I could not set up shared memory or locks beside the file", not "bad file". */
const NEEDS_WRITABLE_FOLDER = /^SQLITE_(CANTOPEN|READONLY|IOERR)/;

function openAndProbe(file: string): Database.Database {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    // Opening reads nothing; the first query reads the header and, in WAL mode, sets up the -shm index.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return sqlite;
  } catch (err) {
    sqlite.close();
    throw err;
  }
}

/**
 * A WAL database in a read-only folder: copy it (and its -wal, so nothing committed is lost) to a private
 * temporary folder, fold the WAL into the copy, and read that. Removed when the process exits.
 */
function openSnapshot(dbPath: string): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattbench-readonly-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const copy = path.join(dir, path.basename(dbPath));
  fs.copyFileSync(dbPath, copy);
  if (fs.existsSync(`${dbPath}-wal`)) fs.copyFileSync(`${dbPath}-wal`, `${copy}-wal`);
  // The copies keep the originals' modes (0444 on a read-only file): make them ours to fold the WAL in.
  for (const f of [copy, `${copy}-wal`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  const writer = new Database(copy, { fileMustExist: true });
  writer.pragma('journal_mode = DELETE');
  writer.close();
  return openAndProbe(copy);
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}

/** Opens dbPath read-only; a missing, unreadable or non-SQLite file is a one-line DatabaseError (exit 2). */
export function openReadOnly(dbPath: string): ReadOnlyHandle {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dbPath);
  } catch {
    throw new DatabaseError(missingDatabaseMessage(dbPath), dbPath);
  }
  if (!stat.isFile()) throw new DatabaseError(`${dbPath} is not a file; pass --db with the path of a wattbench database`, dbPath);
  try {
    return { sqlite: openAndProbe(dbPath), snapshot: false };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseError(`${dbPath} is not a wattbench database (not a readable SQLite file); pass --db with another file`, dbPath);
    }
    if (!NEEDS_WRITABLE_FOLDER.test(code)) throw new DatabaseError(`cannot read database ${dbPath} (${describe(err)}); pass --db with another file`, dbPath);
    try {
      return { sqlite: openSnapshot(dbPath), snapshot: true };
    } catch (second) {
      throw new DatabaseError(`cannot read database ${dbPath} (${describe(second)}); check its permissions or pass --db with another file`, dbPath);
    }
  }
}
