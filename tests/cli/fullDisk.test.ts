// A disk that fills up in the middle of a real run: the run ends "failed" with the reason, keeps what it
// gathered (its reserve next to the database is given back so that the last writes fit), says so in one
// line and exits 1, instead of a stack trace and a run left "running".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { startCli } from '../helpers/runCli';
import { queryDb } from '../helpers/queryDb';

const LONG_RUN = ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '10000', '--warmup', '0', '--threads', '1', '--idle-seconds', '0'];
const isRoot = process.getuid?.() === 0;

function count(db: string, sql: string): number {
  return queryDb<{ n: number }>(db, sql)[0].n;
}

/** Polls until the run has stored results and flushed measure-phase samples. */
async function waitForMeasureSamples(db: string): Promise<number> {
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const samples = count(db, "select count(*) n from samples where phase = 'measure'");
      if (count(db, 'select count(*) n from results') >= 5 && samples >= 5) return samples;
    } catch {
      // The file or its tables do not exist yet.
    }
  }
  throw new Error('the benchmark made no progress in 60 s');
}

/** Writes to `file` until the file system has no byte left (large chunks, then smaller ones to the last page). */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 9]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          if (fs.writeSync(fd, chunk) < size) break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

// Mounting a small tmpfs needs root (as in CI); elsewhere this file cannot make a disk fill up safely.
describe.skipIf(!isRoot)('a disk that fills up during a run (skipped: mounting a tmpfs needs root)', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeTempDir('fulldisk');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', dir]);
  });
  afterAll(() => {
    // Lazy: a run a failed test left behind must not keep the mount (and this hook) busy.
    if (dir) execFileSync('umount', ['-l', dir]);
  });

  it('ends the run "failed" with the reason and what it gathered, in one line on stderr, exit 1', async () => {
    const db = path.join(dir, 'a.db');
    const filler = path.join(dir, 'filler');
    const { done } = startCli([...LONG_RUN, '--db', db, '--json']);
    const samplesBefore = await waitForMeasureSamples(db);
    // The run set space aside next to its database while it goes.
    expect(fs.existsSync(`${db}-reserve`)).toBe(true);
    fillDisk(filler);
    const res = await done;

    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^error: run 1 failed: the disk holding .*a\.db is full \(database or disk is full\); the \d+ repetitions and the samples gathered until then are stored — free some space and run again\n$/);
    expect(fs.existsSync(`${db}-reserve`)).toBe(false);

    fs.rmSync(filler);
    const [run] = queryDb<Record<string, unknown>>(db, 'select * from runs');
    expect(run.status).toBe('failed');
    expect(String(run.error)).toMatch(/disk holding .* is full/);
    expect(run.ended_at).not.toBeNull();
    const results = count(db, 'select count(*) n from results');
    expect(results).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(String(run.summary)).totalOutputTokens).toBe(count(db, 'select sum(output_tokens) n from results'));
    // The energy of the repetitions measured is accounted too (an estimate at least, with --power auto).
    expect(count(db, 'select count(*) n from energy where result_id is null')).toBeGreaterThan(0);
    expect(count(db, 'select count(*) n from results where energy_j is null')).toBe(0);
    // Every sample flushed before the disk filled, and the last ones (the sampler's final tick) after.
    expect(count(db, "select count(*) n from samples where phase = 'measure'")).toBeGreaterThanOrEqual(samplesBefore);
    expect(count(db, "select count(*) n from samples where phase = 'done'")).toBe(1);
  });
});
