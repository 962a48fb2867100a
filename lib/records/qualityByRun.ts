// Accuracy and joules per correct answer of many runs at once (lists, compare), aggregated in SQL from the
// results rows by summarizeQuality's rules (lib/quality/summarizeQuality: qualityFromCounts).
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { results } from '../db/schema';
import { qualityFromCounts, type QualitySummary } from '../quality/summarizeQuality';

export interface GradedCounts {
  graded: number;
  correct: number;
  /** Gross joules of the graded repetitions; null when one of them has no energy. */
  energyJ: number | null;
}

/** Per run with at least one graded repetition: its counts. */
export function gradedCountsByRun(db: Db, runIds: readonly number[]): Map<number, GradedCounts> {
  if (runIds.length === 0) return new Map();
  const rows = db
    .select({
      runId: results.runId,
      graded: sql<number>`count(${results.correct})`,
      correct: sql<number>`coalesce(sum(${results.correct}), 0)`,
      energyJ: sql<number | null>`sum(case when ${results.correct} is not null then ${results.energyJ} end)`,
      unmeasured: sql<number>`sum(case when ${results.correct} is not null and ${results.energyJ} is null then 1 else 0 end)`,
    })
    .from(results)
    .where(inArray(results.runId, [...runIds]))
    .groupBy(results.runId)
    .all();
  return new Map(
    rows.filter((r) => r.graded > 0).map((r) => [r.runId, { graded: r.graded, correct: r.correct, energyJ: r.unmeasured > 0 ? null : r.energyJ }]),
  );
}

/** Per run: its quality summary (runs with nothing graded are absent). */
export function qualityByRun(db: Db, runIds: readonly number[]): Map<number, QualitySummary> {
  const out = new Map<number, QualitySummary>();
  for (const [id, c] of gradedCountsByRun(db, runIds)) out.set(id, qualityFromCounts(c)!);
  return out;
}

/** Several runs pooled (one model's runs): graded and correct answers and energy added, then the same rules. */
export function pooledQuality(counts: ReadonlyArray<GradedCounts | undefined>): QualitySummary | null {
  const present = counts.filter((c): c is GradedCounts => c !== undefined);
  if (present.length === 0) return null;
  const energies = present.map((c) => c.energyJ);
  return qualityFromCounts({
    graded: present.reduce((a, c) => a + c.graded, 0),
    correct: present.reduce((a, c) => a + c.correct, 0),
    energyJ: energies.every((e): e is number => e !== null) ? energies.reduce((a, e) => a + e, 0) : null,
  });
}
