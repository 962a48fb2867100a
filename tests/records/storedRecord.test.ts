// The read layer on a real SQLite file: JSON columns parsed by their schemas (a mismatch is a clear error, not a
// cast), the estimate's model in its own column (and moved there from old notes by the migration), and one
// record behind `wattbench show --json` and the run page.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import { StoredJsonError } from '../../lib/db/jsonColumn';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { getRunDetail } from '../../lib/queries/getRunDetail';
import { exportRunCsv } from '../../lib/records/exportRunCsv';
import { runCli } from '../helpers/runCli';
import { REPO_ROOT, makeTempDir } from '../helpers/paths';
import { addEnergy, addHardware, addModel, addResult, addRun } from '../queries/fixtureDb';

const CPU_MODEL = 'CodeCarbon CPU-load model (TDP 65 W)';

const dir = makeTempDir('stored-record');
const file = path.join(dir, 'wattbench.db');
const ids = { finished: 0, killed: 0, badSummary: 0, badSettings: 0, notJson: 0 };

beforeAll(() => {
  const db = openDb(file, { recoverOrphans: false });
  const hw = addHardware(db, { hostname: 'box' });
  const model = addModel(db, { name: 'llama', fileName: 'stories260K.gguf' });
  // A finished run: results, a stored summary whose figures are the runner's, an estimated energy row.
  ids.finished = addRun(db, model, hw, {
    settings: { prompts: [{ id: 'hello', title: 'Say hello' }], promptThreads: 1 },
    runtime: { nodeLlamaCppVersion: '3.21.1', llamaCppRelease: 'b6123', backend: 'cpu' },
    energyBasis: 'estimate',
    summary: {
      metrics: {
        ttftMs: { mean: 11, sd: 1, median: 11, min: 10, max: 12, n: 2 },
        promptTokensPerSec: { mean: 900, sd: 100, median: 900, min: 800, max: 1000, n: 2 },
        genTokensPerSec: { mean: 105, sd: 7.0710678, median: 105, min: 100, max: 110, n: 2 },
        interTokenMs: null,
        e2eMs: { mean: 210, sd: 0, median: 210, min: 210, max: 210, n: 2 },
      },
      prompts: [
        {
          promptId: 'hello',
          promptIndex: 0,
          title: 'Say hello',
          metrics: {
            ttftMs: { mean: 11, sd: 1, median: 11, min: 10, max: 12, n: 2 },
            promptTokensPerSec: { mean: 900, sd: 100, median: 900, min: 800, max: 1000, n: 2 },
            genTokensPerSec: { mean: 105, sd: 7.0710678, median: 105, min: 100, max: 110, n: 2 },
            interTokenMs: null,
            e2eMs: { mean: 210, sd: 0, median: 210, min: 210, max: 210, n: 2 },
          },
          promptTokens: 10,
          outputTokens: { mean: 20, sd: 0, median: 20, min: 20, max: 20, n: 2 },
          energyJ: null,
        },
      ],
      totalOutputTokens: 40,
      totalPromptTokens: 20,
      energy: null,
    },
  });
  addResult(db, ids.finished, { promptId: 'hello', rep: 0, ttftMs: 10, promptTokensPerSec: 1000, genTokensPerSec: 100 });
  addResult(db, ids.finished, { promptId: 'hello', rep: 1, ttftMs: 12, promptTokensPerSec: 800, genTokensPerSec: 110 });
  addEnergy(db, ids.finished, { source: 'estimate', domain: 'cpu', method: 'modelled', joules: 40, meanW: 8, note: 'no reading in 1 of 9 samples', estimateModel: CPU_MODEL });
  // A run killed before it wrote a summary: its figures are computed from its results.
  ids.killed = addRun(db, model, hw, { status: 'interrupted' });
  addResult(db, ids.killed, { ttftMs: 30, genTokensPerSec: 50 });
  ids.badSummary = addRun(db, model, hw);
  ids.badSettings = addRun(db, model, hw);
  ids.notJson = addRun(db, model, hw);
  // Written by something else than this version: raw SQL, as another program would.
  db.$client.prepare('UPDATE runs SET summary = ? WHERE id = ?').run(JSON.stringify({ metrics: { ttftMs: 'fast' }, prompts: [], totalOutputTokens: 0, totalPromptTokens: 0 }), ids.badSummary);
  db.$client.prepare('UPDATE runs SET settings = ? WHERE id = ?').run(JSON.stringify({ threads: 'four' }), ids.badSettings);
  db.$client.prepare('UPDATE runs SET runtime = ? WHERE id = ?').run('{not json', ids.notJson);
  db.$client.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function withDb<T>(fn: (db: ReturnType<typeof openDb>) => T): T {
  const db = openDb(file, { recoverOrphans: false });
  try {
    return fn(db);
  } finally {
    db.$client.close();
  }
}

describe('JSON columns parsed by their schemas', () => {
  it('reads settings, runtime and summary as typed values', () => {
    const record = withDb((db) => getRunRecord(db, ids.finished));
    expect(record.runtime).toMatchObject({ nodeLlamaCppVersion: '3.21.1', backend: 'cpu' });
    expect(record.settings).toMatchObject({ promptThreads: 1, threads: 1, suite: 'smoke' });
    expect(record.prompts[0].title).toBe('Say hello');
  });

  it('fails with one clear error naming the column and the mismatch, instead of casting', () => {
    withDb((db) => {
      expect(() => getRunRecord(db, ids.badSummary)).toThrow(StoredJsonError);
      expect(() => getRunRecord(db, ids.badSummary)).toThrow(/^runs\.summary holds JSON that does not match its schema \(metrics\.ttftMs: .+\): .+pass --db/);
      expect(() => getRunRecord(db, ids.badSettings)).toThrow(/^runs\.settings holds JSON .*\(threads: /);
      expect(() => getRunRecord(db, ids.notJson)).toThrow(/^runs\.runtime holds JSON .*\(not JSON: /);
      expect(() => getRunDetail(db, ids.badSummary)).toThrow(StoredJsonError);
    });
  });

  it('the CLI prints that error on one line and exits 2', async () => {
    const r = await runCli(['show', String(ids.badSettings), '--db', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/runs\.settings holds JSON that does not match its schema/);
  });
});

describe('the estimate model column', () => {
  it('labels and exports an estimate by energy.estimate_model, not by its note', () => {
    const record = withDb((db) => getRunRecord(db, ids.finished));
    expect(record.energyRows[0]).toMatchObject({ estimateModel: CPU_MODEL, note: 'no reading in 1 of 9 samples' });
    const csv = exportRunCsv(record);
    expect(csv).toContain(`estimated (model ${CPU_MODEL}) · CPU package`);
    expect(csv).toContain(`,${CPU_MODEL},`);
  });

  it('the migration moves the model of rows written before the column out of their note', () => {
    const old = path.join(dir, 'old.db');
    const db = openDb(old, { recoverOrphans: false });
    const run = addRun(db, addModel(db), addHardware(db));
    addEnergy(db, run, { source: 'estimate', method: 'modelled', note: `no reading in 2 of 9 samples; estimate: ${CPU_MODEL}` });
    addEnergy(db, run, { source: 'estimate', domain: 'ram', boundary: 'dram', method: 'modelled', note: 'estimate: RAM model (3 W)' });
    addEnergy(db, run, { source: 'rapl', domain: 'dram', boundary: 'dram', note: 'dram counter stopped' });
    db.$client.close();
    // Back to the database as the previous version left it: no column, its migration not applied.
    const raw = new Database(old);
    raw.exec('ALTER TABLE energy DROP COLUMN estimate_model');
    raw.exec('DROP TABLE run_series');
    raw.exec('DROP INDEX runs_hardware_status_started_idx');
    raw.exec('CREATE INDEX runs_hardware_idx ON runs (hardware_id)');
    // …nor migration 0003 (sweeps, machine profiles, graded answers, server runs, monitor runs), which came after it.
    raw.exec('DROP INDEX runs_sweep_idx');
    raw.exec('ALTER TABLE runs DROP COLUMN sweep_id');
    raw.exec('ALTER TABLE runs DROP COLUMN sweep_index');
    raw.exec('ALTER TABLE runs DROP COLUMN endpoint');
    raw.exec('ALTER TABLE runs DROP COLUMN kind');
    raw.exec('DROP TABLE machine_profiles');
    raw.exec('ALTER TABLE results DROP COLUMN correct');
    raw.exec('ALTER TABLE results DROP COLUMN server_timings');
    // …nor the workshop's tables and the participant's outbox (migration 0004), which came after that.
    raw.exec('DROP TABLE run_shares');
    raw.exec('DROP TABLE workshop_participants');
    raw.exec('DROP TABLE workshop_runs');
    raw.exec('DROP TABLE workshops');
    // Then 0002's record and the later ones, by 0002's timestamp in the journal.
    const health = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'drizzle', 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] }).entries.find((e) => e.tag === '0002_health')!;
    raw.prepare('DELETE FROM __drizzle_migrations WHERE created_at >= ?').run(health.when);
    raw.close();
    withDbAt(old, (again) => {
      const rows = again.$client.prepare('SELECT note, estimate_model FROM energy ORDER BY id').all();
      expect(rows).toEqual([
        { note: `no reading in 2 of 9 samples; estimate: ${CPU_MODEL}`, estimate_model: CPU_MODEL },
        { note: 'estimate: RAM model (3 W)', estimate_model: 'RAM model (3 W)' },
        { note: 'dram counter stopped', estimate_model: null },
      ]);
    });
  });
});

function withDbAt<T>(at: string, fn: (db: ReturnType<typeof openDb>) => T): T {
  const db = openDb(at, { recoverOrphans: false });
  try {
    return fn(db);
  } finally {
    db.$client.close();
  }
}

describe('one record behind `wattbench show --json` and the run page', () => {
  it('gives the same figures for the same run', async () => {
    const r = await runCli(['show', String(ids.finished), '--json', '--db', file]);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout);
    const page = withDb((db) => getRunDetail(db, ids.finished)!);
    // Computed from the two results (100 and 110 tok/s), in both.
    expect(shown.summary.genTokensPerSec).toMatchObject({ mean: 105, median: 105, min: 100, max: 110, n: 2 });
    expect(shown.summary.genTokensPerSec.sd).toBeCloseTo(7.0710678, 6);
    expect(page.overall).toEqual(shown.summary);
    expect(page.summary.prompts).toEqual(shown.prompts);
    expect(page.energy.map((e) => [e.source, e.joules, e.estimateModel])).toEqual(shown.energyRows.map((e: { source: string; joules: number; estimateModel: string }) => [e.source, e.joules, e.estimateModel]));
    expect(page.resultCount).toBe(shown.results.length);
  });

  it('also for a run killed before it stored a summary', async () => {
    const r = await runCli(['show', String(ids.killed), '--json', '--db', file]);
    const shown = JSON.parse(r.stdout);
    const page = withDb((db) => getRunDetail(db, ids.killed)!);
    expect(shown.summary.ttftMs).toMatchObject({ mean: 30, n: 1 });
    expect(page.overall).toEqual(shown.summary);
  });
});
