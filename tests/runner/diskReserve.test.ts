// The space a run sets aside next to its database, and how a full disk is recognised in SQLite's errors.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { createDiskReserve, isDiskFull } from '../../lib/runner/diskReserve';
import { makeTempDir } from '../helpers/paths';

describe('createDiskReserve', () => {
  it('writes real blocks next to the database and deletes them once released', () => {
    const db = path.join(makeTempDir('reserve'), 'a.db');
    const reserve = createDiskReserve(db, 256 * 1024);
    expect(reserve.path).toBe(`${db}-reserve`);
    const stat = fs.statSync(`${db}-reserve`);
    expect(stat.size).toBe(256 * 1024);
    // Allocated, not sparse: the file system really set the space aside.
    expect(stat.blocks * 512).toBeGreaterThanOrEqual(256 * 1024);
    reserve.release();
    reserve.release();
    expect(fs.existsSync(`${db}-reserve`)).toBe(false);
  });

  it('makes none for an in-memory database, and none where the folder cannot hold it', () => {
    expect(createDiskReserve(':memory:').path).toBeNull();
    const missing = path.join(makeTempDir('reserve'), 'no', 'such', 'folder', 'a.db');
    const reserve = createDiskReserve(missing, 1024);
    expect(reserve.path).toBeNull();
    expect(() => reserve.release()).not.toThrow();
  });
});

describe('isDiskFull', () => {
  it("recognises SQLite's SQLITE_FULL from a database that cannot grow, and nothing else", () => {
    const sqlite = new Database(path.join(makeTempDir('full'), 'a.db'));
    try {
      sqlite.exec('create table t (x blob)');
      // A database capped at its current size is full as a disk is: SQLite reports SQLITE_FULL.
      const pages = (sqlite.pragma('page_count', { simple: true }) as number) + 1;
      sqlite.pragma(`max_page_count = ${pages}`);
      let full: unknown = null;
      try {
        for (let i = 0; i < 100; i++) sqlite.prepare('insert into t values (?)').run(Buffer.alloc(4096));
      } catch (err) {
        full = err;
      }
      expect((full as { code?: string }).code).toBe('SQLITE_FULL');
      expect(isDiskFull(full)).toBe(true);
      let other: unknown = null;
      try {
        sqlite.exec('insert into nowhere values (1)');
      } catch (err) {
        other = err;
      }
      expect(other).not.toBeNull();
      expect(isDiskFull(other)).toBe(false);
      expect(isDiskFull(new Error('database or disk is full'))).toBe(false);
    } finally {
      sqlite.close();
    }
  });
});
