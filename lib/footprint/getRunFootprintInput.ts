// Reads what the footprint comparison needs from a stored run: its tokens, its energy with labels, its model.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { energy, models, results, runs, type RunStatus } from '../db/schema';
import type { LocalEnergyInput, LocalModelInfo } from './types';
import { describeEnergyList, describeRunEnergy } from '../format/energyLabel';

export interface RunFootprintInput {
  runId: number;
  status: RunStatus;
  /** Measured repetitions the token sums cover. */
  repetitions: number;
  /** Sum of the prompt tokens of the run's measured repetitions. */
  inputTokens: number;
  /** Sum of the output tokens of the run's measured repetitions. */
  outputTokens: number;
  /** Whole-run energy rows summed, with their labels; null when the run has none. */
  local: LocalEnergyInput | null;
  localModel: LocalModelInfo;
}

/** Distinct values in first-seen order, joined for a label ("rapl + nvidia"). */
function joinDistinct(values: string[]): string {
  return [...new Set(values)].join(' + ');
}

/** The run's footprint input, or null when there is no such run. */
export function getRunFootprintInput(db: Db, runId: number): RunFootprintInput | null {
  const run = db
    .select({ id: runs.id, status: runs.status, energyBasis: runs.energyBasis, fileName: models.fileName, name: models.name, parameters: models.parameters })
    .from(runs)
    .innerJoin(models, eq(runs.modelId, models.id))
    .where(eq(runs.id, runId))
    .get();
  if (!run) return null;

  const tokens = db
    .select({
      repetitions: sql<number>`count(*)`,
      inputTokens: sql<number>`coalesce(sum(${results.promptTokens}), 0)`,
      outputTokens: sql<number>`coalesce(sum(${results.outputTokens}), 0)`,
    })
    .from(results)
    .where(eq(results.runId, runId))
    .get();

  // Whole-run rows only (resultId null), and only those that count toward the total: a RAPL core or
  // dram sub-zone is inside its package and would be counted twice. They cover measured repetitions only.
  const rows = db
    .select({
      source: energy.source,
      boundary: energy.boundary,
      method: energy.method,
      joules: energy.joules,
      partial: energy.partial,
      note: energy.note,
      meanW: energy.meanW,
      idleW: energy.idleW,
    })
    .from(energy)
    .where(and(eq(energy.runId, runId), isNull(energy.resultId), eq(energy.countsTowardTotal, true)))
    .orderBy(energy.id)
    .all();

  const described = describeRunEnergy(rows, run.energyBasis, 'en');
  const local: LocalEnergyInput | null =
    rows.length === 0 || described.basis === 'none'
      ? null
      : {
          basis: described.basis,
          window: described.window ?? undefined,
          constantNote: described.constantNote,
          joules: rows.reduce((sum, r) => sum + r.joules, 0),
          source: joinDistinct(rows.map((r) => r.source)),
          boundary: joinDistinct(rows.map((r) => r.boundary)),
          method: joinDistinct(rows.map((r) => r.method)),
          partial: rows.some((r) => r.partial),
          label: describeEnergyList(rows, 'en'),
        };

  return {
    runId: run.id,
    status: run.status,
    repetitions: tokens?.repetitions ?? 0,
    inputTokens: tokens?.inputTokens ?? 0,
    outputTokens: tokens?.outputTokens ?? 0,
    local,
    localModel: { name: run.name, fileName: run.fileName, parameters: run.parameters },
  };
}
