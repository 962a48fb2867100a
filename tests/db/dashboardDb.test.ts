// The dashboard's handle follows its file: a replaced file is reopened, a deleted or unreadable one is said so.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, it, expect } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import { createRun, upsertHardware, upsertModel } from '../../lib/db/runWriter';
import { runs } from '../../lib/db/schema';
import { getDashboardDb } from '../../lib/queries/dashboardDb';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { makeTempDir } from '../helpers/paths';

const hardware = await detectHardware();
const dir = makeTempDir('dashboard-db');
const served = path.join(dir, 'served.db');
const previous = process.env.WATTBENCH_DB;
process.env.WATTBENCH_DB = served;

afterAll(() => {
  if (previous === undefined) delete process.env.WATTBENCH_DB;
  else process.env.WATTBENCH_DB = previous;
});

/** A database with `count` finished runs, written beside the served one. */
function writeDb(name: string, count: number): string {
  const file = path.join(dir, name);
  const db = openDb(file);
  const pid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
  for (let i = 0; i < count; i++) {
    createRun(db, {
      modelId: upsertModel(db, { path: '/m.gguf', fileName: 'm.gguf', name: null, sizeBytes: 1, sha256: 'ab', architecture: null, parameters: null, type: null, contextLength: null, hasChatTemplate: false }),
      hardwareId: upsertHardware(db, hardware),
      suite: 'smoke', threads: 1, reps: 1, warmup: 0, contextSize: 64, seed: 1, promptFormat: 'completion', settings: {}, runtime: {},
      pid, pidStartTicks: null, startedAt: Date.now(),
    });
  }
  db.$client.close();
  return file;
}

function runCount(): number | string {
  const conn = getDashboardDb();
  return conn.status === 'ok' ? conn.db.select({ id: runs.id }).from(runs).all().length : `${conn.status}:${conn.reason}`;
}

describe('getDashboardDb', () => {
  it('shows the empty state before any database exists', () => {
    expect(runCount()).toBe('missing:absent');
  });

  it('reads the file, then the file that replaces it (rename over it, as a restore or a copy does)', () => {
    fs.renameSync(writeDb('first.db', 1), served);
    expect(runCount()).toBe(1);
    const same = getDashboardDb();
    expect(getDashboardDb()).toStrictEqual(same); // unchanged file: the same open handle
    fs.renameSync(writeDb('second.db', 3), served);
    expect(runCount()).toBe(3);
  });

  it('says the database is gone when the file is deleted, and reads it again once it is back', () => {
    fs.rmSync(served);
    expect(runCount()).toBe('missing:gone');
    fs.renameSync(writeDb('third.db', 2), served);
    expect(runCount()).toBe(2);
  });

  it('says the file is unreadable when it is replaced by one that is not a wattbench database', () => {
    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'not SQLite\n'.repeat(100));
    fs.renameSync(garbage, served);
    const conn = getDashboardDb();
    expect(conn).toMatchObject({ status: 'missing', reason: 'unreadable' });
    expect(conn.status === 'missing' && conn.problem).toMatch(/not a wattbench database/);
  });
});
