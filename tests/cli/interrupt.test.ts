// Ctrl-C and SIGKILL in the middle of a real run: nothing gathered is lost, and the run says so.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { startCli, runCli } from '../helpers/runCli';

const LONG_RUN = ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '10000', '--warmup', '0', '--threads', '1', '--idle-seconds', '0'];

function count(db: string, sql: string, ...params: unknown[]): number {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

function runRow(db: string): Record<string, unknown> {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('select * from runs').get() as Record<string, unknown>;
  } finally {
    sqlite.close();
  }
}

/** Polls the database until the running benchmark has stored results and flushed samples. */
async function waitForProgress(db: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      if (count(db, 'select count(*) n from results') >= 5 && count(db, 'select count(*) n from samples') >= 5) return;
    } catch {
      // The file or its tables do not exist yet.
    }
  }
  throw new Error('the benchmark made no progress in 60 s');
}

describe('interrupted runs', () => {
  it('Ctrl-C (SIGINT) ends the run as "interrupted" and keeps its results and samples', async () => {
    const db = path.join(makeTempDir('sigint'), 'a.db');
    const { child, done } = startCli([...LONG_RUN, '--db', db, '--json']);
    await waitForProgress(db);
    child.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(130);
    const json = JSON.parse(res.stdout);
    expect(json.status).toBe('interrupted');
    const run = runRow(db);
    expect(run.status).toBe('interrupted');
    expect(run.ended_at).not.toBeNull();
    const results = count(db, 'select count(*) n from results');
    expect(results).toBeGreaterThanOrEqual(5);
    expect(json.results).toHaveLength(results);
    expect(count(db, 'select count(*) n from samples')).toBeGreaterThanOrEqual(5);
    // The repetition cut short is not stored as a measurement.
    expect(count(db, "select count(*) n from results where stop_reason = 'aborted'")).toBe(0);
  });

  it('a killed process (SIGKILL) leaves its run "running" until the next writing open marks it interrupted', async () => {
    const db = path.join(makeTempDir('sigkill'), 'a.db');
    const { child, done } = startCli([...LONG_RUN, '--db', db]);
    await waitForProgress(db);
    child.kill('SIGKILL');
    const res = await done;
    expect(res.signal).toBe('SIGKILL');
    expect(runRow(db).status).toBe('running');
    const results = count(db, 'select count(*) n from results');

    // Reading commands open read-only: `list` changes nothing.
    const list = await runCli(['list', '--db', db, '--json']);
    expect(list.code).toBe(0);
    expect(runRow(db).status).toBe('running');
    // The next `run` reconciles it when it opens the database, even one that goes on to fail (no such model).
    const next = await runCli(['run', '--model', path.join(path.dirname(db), 'no-such-model.gguf'), '--suite', 'smoke', '--db', db]);
    expect(next.code).toBe(2);
    const run = runRow(db);
    expect(run.status).toBe('interrupted');
    expect(String(run.error)).toMatch(/ended without finishing/);
    // Ended when the process was last seen (its last flushed sample or stored result), not when the next run opened the file.
    expect(run.ended_at).toBe(Math.max(count(db, 'select max(t) n from samples'), count(db, 'select max(ended_at) n from results')));
    expect(count(db, 'select count(*) n from results')).toBe(results);
    expect(count(db, 'select count(*) n from samples')).toBeGreaterThanOrEqual(5);
  });

  it('a run whose process is still alive is left alone when another process opens the database', async () => {
    const db = path.join(makeTempDir('alive'), 'a.db');
    const { child, done } = startCli([...LONG_RUN, '--db', db]);
    await waitForProgress(db);
    const list = await runCli(['list', '--db', db, '--json']);
    expect(JSON.parse(list.stdout)[0].status).toBe('running');
    child.kill('SIGINT');
    await done;
    expect(runRow(db).status).toBe('interrupted');
  });
});
