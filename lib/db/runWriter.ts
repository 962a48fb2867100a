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

export function upsertHardware(db: Db, hw: HardwareFacts): number {
  const existing = db.select({ id: hardware.id }).from(hardware).where(eq(hardware.fingerprint, hw.fingerprint)).get();
  if (existing) return existing.id;
  return db
    .insert(hardware)
    .values({ ...hw, createdAt: Date.now() })
    .returning({ id: hardware.id })
    .get().id;
}

export function upsertModel(db: Db, m: ModelFacts): number {
  const existing = db.select({ id: models.id }).from(models).where(eq(models.sha256, m.sha256)).get();
  if (existing) return existing.id;
  const { path: _path, ...row } = m;
  return db
    .insert(models)
    .values({ ...row, createdAt: Date.now() })
    .returning({ id: models.id })
    .get().id;
}

export type NewRun = Omit<typeof runs.$inferInsert, 'id' | 'status'>;

export function createRun(db: Db, run: NewRun): number {
  return db
    .insert(runs)
    .values({ ...run, status: 'running' })
    .returning({ id: runs.id })
    .get().id;
}

export function insertResult(db: Db, runId: number, r: RepetitionResult): number {
  return db
    .insert(results)
    .values({ runId, ...r })
    .returning({ id: results.id })
    .get().id;
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
