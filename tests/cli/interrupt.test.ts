// Ctrl-C, the other ending signals and SIGKILL in the middle of a real run: nothing gathered is lost, and
// the run says what ended it.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { REPO_ROOT, STORIES_MODEL, makeTempDir } from '../helpers/paths';
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

/** Polls the database until the running benchmark has stored results and flushed measure-phase samples. */
async function waitForProgress(db: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      if (count(db, 'select count(*) n from results') >= 5 && count(db, "select count(*) n from samples where phase = 'measure'") >= 5) return;
    } catch {
      // The file or its tables do not exist yet.
    }
  }
  throw new Error('the benchmark made no progress in 60 s');
}

describe('interrupted runs', () => {
  // Each ends the run like Ctrl-C, exits 128 + its number, and the stored reason names it.
  it.each([
    { signal: 'SIGINT', code: 130, reason: /Ctrl-C, SIGINT/ },
    { signal: 'SIGTERM', code: 143, reason: /SIGTERM/ },
    { signal: 'SIGHUP', code: 129, reason: /terminal closed \(SIGHUP\)/ },
    { signal: 'SIGQUIT', code: 131, reason: /SIGQUIT/ },
  ] as const)('$signal ends the run as "interrupted", names itself, and keeps results, samples and the end time', async ({ signal, code, reason }) => {
    const db = path.join(makeTempDir(signal.toLowerCase()), 'a.db');
    const { child, done } = startCli([...LONG_RUN, '--db', db, '--json']);
    await waitForProgress(db);
    const signalledAt = Date.now();
    child.kill(signal);
    const res = await done;
    expect(res.code).toBe(code);
    expect(res.stderr).toBe('');
    const json = JSON.parse(res.stdout);
    expect(json.status).toBe('interrupted');
    const run = runRow(db);
    expect(run.status).toBe('interrupted');
    expect(String(run.error)).toMatch(reason);
    if (signal !== 'SIGINT') expect(String(run.error)).not.toMatch(/Ctrl-C/);
    // The real end: after the signal and after the last sample, which is the sampler's final tick.
    expect(Number(run.ended_at)).toBeGreaterThanOrEqual(signalledAt);
    expect(Number(run.ended_at)).toBeGreaterThanOrEqual(count(db, 'select max(t) n from samples'));
    expect(count(db, "select count(*) n from samples where phase = 'done'")).toBe(1);
    expect(JSON.parse(String(run.summary)).totalOutputTokens).toBe(count(db, 'select sum(output_tokens) n from results'));
    const results = count(db, 'select count(*) n from results');
    expect(results).toBeGreaterThanOrEqual(5);
    expect(json.results).toHaveLength(results);
    expect(count(db, "select count(*) n from samples where phase = 'measure'")).toBeGreaterThanOrEqual(5);
    // The repetition cut short is not stored as a measurement.
    expect(count(db, "select count(*) n from results where stop_reason = 'aborted'")).toBe(0);
  });

  it('a crash (an exception nothing catches) ends the run "failed" with its reason, keeping results and samples', async () => {
    const db = path.join(makeTempDir('crash'), 'a.db');
    const crashOnSigusr2 = path.join(REPO_ROOT, 'tests', 'fixtures', 'crashOnSigusr2.mjs');
    const { child, done } = startCli([...LONG_RUN, '--db', db, '--json'], { NODE_OPTIONS: `--import ${crashOnSigusr2}` });
    await waitForProgress(db);
    child.kill('SIGUSR2');
    const res = await done;
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^error: run 1 failed: simulated crash \(SIGUSR2 from the test\); the \d+ repetitions and the samples gathered until then are stored — see wattbench show 1\n$/);
    const run = runRow(db);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('simulated crash (SIGUSR2 from the test)');
    expect(run.ended_at).not.toBeNull();
    expect(count(db, 'select count(*) n from results')).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(String(run.summary)).totalOutputTokens).toBe(count(db, 'select sum(output_tokens) n from results'));
    expect(count(db, "select count(*) n from samples where phase = 'measure'")).toBeGreaterThanOrEqual(5);
    expect(count(db, "select count(*) n from samples where phase = 'done'")).toBe(1);
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
    // …but it does not pass a dead run off as running: it is shown stale, as on the dashboard.
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ status: 'running', displayStatus: 'stale' });
    const show = await runCli(['show', '1', '--db', db]);
    expect(show.stdout).toMatch(/Run 1 stale \(its process is gone; the next `wattbench run` marks it interrupted\)/);
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
