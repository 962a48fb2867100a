// Sweeps (one `wattbench run` with comma lists: runs sharing runs.sweep_id): the recent ones for a menu, a
// sweep's runs in the order they ran, and the label that tells its combinations apart.
import { asc, count, desc, eq, isNotNull, max, min } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { models, runs } from '../db/schema';
import { modelLabel } from './runLabels';

export interface SweepOption {
  sweepId: string;
  runCount: number;
  /** Epoch ms of its first run's start. */
  startedAt: number;
  /** The models swept, by label (modelLabel), in the order they ran. */
  models: string[];
}

/** The newest sweeps first (by their latest run), at most `limit`. */
export function listSweeps(db: Db, limit = 50): SweepOption[] {
  const rows = db
    .select({ sweepId: runs.sweepId, n: count(), startedAt: min(runs.startedAt), latest: max(runs.startedAt) })
    .from(runs)
    .where(isNotNull(runs.sweepId))
    .groupBy(runs.sweepId)
    .orderBy(desc(max(runs.startedAt)))
    .limit(limit)
    .all();
  return rows.map((r) => ({ sweepId: r.sweepId!, runCount: r.n, startedAt: r.startedAt ?? 0, models: sweepModels(db, r.sweepId!) }));
}

function sweepModels(db: Db, sweepId: string): string[] {
  const labels = db
    .select({ name: models.name, fileName: models.fileName })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .where(eq(runs.sweepId, sweepId))
    .orderBy(asc(runs.sweepIndex), asc(runs.id))
    .all()
    .map((m) => modelLabel(m.name, m.fileName));
  return [...new Set(labels)];
}

/** What sets one run of a sweep apart: its model and settings as stored. */
export interface SweepRunSettings {
  id: number;
  sweepIndex: number | null;
  modelLabel: string;
  threads: number;
  promptThreads: number;
  contextSize: number;
  batchSize: number | null;
  gpuLayers: string;
}

/** A sweep's runs in the order they ran (empty for an unknown id). */
export function listSweepRuns(db: Db, sweepId: string): SweepRunSettings[] {
  return db
    .select({ id: runs.id, sweepIndex: runs.sweepIndex, threads: runs.threads, contextSize: runs.contextSize, settings: runs.settings, runtime: runs.runtime, name: models.name, fileName: models.fileName })
    .from(runs)
    .innerJoin(models, eq(models.id, runs.modelId))
    .where(eq(runs.sweepId, sweepId))
    .orderBy(asc(runs.sweepIndex), asc(runs.id))
    .all()
    .map((r) => ({
      id: r.id,
      sweepIndex: r.sweepIndex,
      modelLabel: modelLabel(r.name, r.fileName),
      threads: r.threads,
      promptThreads: r.settings.promptThreads ?? r.threads,
      contextSize: r.contextSize,
      batchSize: r.settings.batchSize ?? null,
      gpuLayers: r.runtime.gpuLayers !== undefined ? String(r.runtime.gpuLayers) : String(r.settings.gpuLayers ?? 'auto'),
    }));
}

/**
 * Each run's label within its sweep: the model and only the settings that vary across the sweep, in llama-bench's
 * terms ("stories260K · t=2 · ctx=2048 · batch=512 · ngl=0"); the same words in every language.
 */
export function sweepRunLabels(sweep: readonly SweepRunSettings[]): Map<number, string> {
  const varies = (f: (r: SweepRunSettings) => unknown) => new Set(sweep.map(f)).size > 1;
  const parts: Array<[boolean, (r: SweepRunSettings) => string]> = [
    [varies((r) => `${r.promptThreads}/${r.threads}`), (r) => `t=${r.promptThreads === r.threads ? r.threads : `${r.promptThreads}/${r.threads}`}`],
    [varies((r) => r.contextSize), (r) => `ctx=${r.contextSize}`],
    [varies((r) => r.batchSize), (r) => `batch=${r.batchSize ?? '?'}`],
    [varies((r) => r.gpuLayers), (r) => `ngl=${r.gpuLayers}`],
  ];
  return new Map(sweep.map((r) => [r.id, [r.modelLabel, ...parts.filter(([v]) => v).map(([, f]) => f(r))].join(' · ')]));
}
