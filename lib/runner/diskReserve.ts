// Space set aside next to the database while a run goes, given back before the run's last writes: when the
// disk fills up mid-run (SQLITE_FULL), the last samples, the energy and the run's final status still fit,
// so the database says "failed, disk full" instead of "running" until the next open calls it interrupted.
import fs from 'node:fs';

/** Enough for the last second of samples, the energy rows and the run row of a long run (WAL frames of 4 KiB pages). */
export const DISK_RESERVE_BYTES = 8 * 1024 * 1024;

export interface DiskReserve {
  /** The reserve file; null when none could be made (in-memory database, or already no room). */
  readonly path: string | null;
  /** Deletes the reserve file; idempotent. */
  release(): void;
}

/**
 * Writes `bytes` of zeros to `<dbFile>-reserve` (written, not sparse: the file system must really allocate
 * them). Best effort: where the space is not there, the run goes on without a reserve.
 */
export function createDiskReserve(dbFile: string, bytes: number = DISK_RESERVE_BYTES): DiskReserve {
  if (dbFile === '' || dbFile === ':memory:') return { path: null, release() {} };
  const reservePath = `${dbFile}-reserve`;
  try {
    fs.writeFileSync(reservePath, Buffer.alloc(bytes));
  } catch {
    fs.rmSync(reservePath, { force: true });
    return { path: null, release() {} };
  }
  let released = false;
  return {
    path: reservePath,
    release() {
      if (released) return;
      released = true;
      fs.rmSync(reservePath, { force: true });
    },
  };
}

/** SQLite's "database or disk is full", or the OS's ENOSPC / EDQUOT behind another error. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}
