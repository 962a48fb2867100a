// Every write a benchmark makes: machine and model rows, the run row, results, samples, energy.
import { eq } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import { hardware, models, runs, results, energy } from './schema';
import type { EnergyBasis, PowerReadingRow, RunStatus } from '../domain/types';
import type { RunSummaryJson } from '../domain/jsonColumns';
import type { Db } from './openDb';
import type { HardwareFacts } from '../hardware/detectHardware';
import type { ModelFacts } from '../model/inspectModelFile';
import type { RepetitionResult } from '../runner/types';
import type { SampleRecord } from '../sampler/createSampler';

// Insert or ignore on the unique key, then read the id: two first runs on one database both get the same row
// (a select-then-insert lets both see nothing and the second insert fail on the unique index).
export function upsertHardware(db: Db, hw: HardwareFacts): number {
  db.insert(hardware)
    .values({ ...hw, createdAt: Date.now() })
    .onConflictDoNothing({ target: hardware.fingerprint })
    .run();
  // Present: inserted just now or by an earlier run.
  return db.select({ id: hardware.id }).from(hardware).where(eq(hardware.fingerprint, hw.fingerprint)).get()!.id;
}

export function upsertModel(db: Db, m: ModelFacts): number {
  const { path: _path, ...row } = m;
  db.insert(models)
    .values({ ...row, createdAt: Date.now() })
    .onConflictDoNothing({ target: models.sha256 })
    .run();
  return db.select({ id: models.id }).from(models).where(eq(models.sha256, m.sha256)).get()!.id;
}

export type NewRun = Omit<typeof runs.$inferInsert, 'id' | 'status'>;

// run(), not returning().get(): get() stops at the returned row and the statement's commit happens when it
// is reset, where better-sqlite3 drops the error: on a full disk (SQLITE_FULL) it would hand back the id of a
// row that was never stored.
export function createRun(db: Db, run: NewRun): number {
  return Number(db.insert(runs).values({ ...run, status: 'running' }).run().lastInsertRowid);
}

export function insertResult(db: Db, runId: number, r: RepetitionResult): number {
  return Number(db.insert(results).values({ runId, ...r }).run().lastInsertRowid);
}

// The sampler's flush runs every second during generation: a prepared statement, not a query builder per row.
const insertSampleSql = `INSERT INTO samples (run_id, t, phase, prompt_index, cpu_percent, process_cpu_percent, rss_bytes, mem_used_bytes, tokens_generated, power_w, power)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const sampleStatements = new WeakMap<Db, Statement<unknown[]>>();

export function insertSamples(db: Db, runId: number, batch: readonly SampleRecord[]): void {
  if (batch.length === 0) return;
  let statement = sampleStatements.get(db);
  if (!statement) {
    statement = db.$client.prepare<unknown[]>(insertSampleSql);
    sampleStatements.set(db, statement);
  }
  const insert = statement;
  db.$client.transaction(() => {
    for (const s of batch) {
      const power: PowerReadingRow[] | null = s.power.length
        ? s.power.map((p) => ({
            source: p.source,
            domain: p.domain,
            boundary: p.boundary,
            method: p.method,
            watts: p.watts,
            joules: p.joules,
            intervalMs: p.intervalMs,
            countsTowardTotal: p.countsTowardTotal,
            ...(p.model ? { model: p.model } : {}),
          }))
        : null;
      insert.run(runId, s.t, s.phase, s.promptIndex, s.cpuPercent, s.processCpuPercent, s.rssBytes, s.memUsedBytes, s.tokensGenerated, s.powerW, power ? JSON.stringify(power) : null);
    }
  })();
}

export type NewEnergy = Omit<typeof energy.$inferInsert, 'id' | 'runId'>;

export function insertEnergy(db: Db, runId: number, rows: readonly NewEnergy[]): void {
  if (rows.length === 0) return;
  db.transaction((tx) => {
    for (const row of rows) tx.insert(energy).values({ runId, ...row }).run();
  });
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  endedAt: number;
  error?: string | null;
  loadMs?: number | null;
  peakRssBytes?: number | null;
  genTokensPerSec?: number | null;
  ttftMs?: number | null;
  joulesPerToken?: number | null;
  totalJ?: number | null;
  energySource?: string | null;
  /** What the energy total is made of (EnergySummary.basis); "none" without energy. */
  energyBasis?: EnergyBasis | null;
  outputTokens?: number | null;
  summary?: RunSummaryJson | null;
}

export function finishRun(db: Db, runId: number, end: RunEnd): void {
  db.update(runs).set(end).where(eq(runs.id, runId)).run();
}

/** A repetition's energy: the whole of it, and its prompt processing and generation parts (null: not measured). */
export interface ResultEnergy {
  energyJ: number | null;
  prefillJ?: number | null;
  decodeJ?: number | null;
}

export function setRunResultEnergy(db: Db, resultId: number, e: ResultEnergy): void {
  db.update(results).set(e).where(eq(results.id, resultId)).run();
}
