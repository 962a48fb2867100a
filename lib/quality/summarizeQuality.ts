// A run's accuracy and energy per correct answer, from its result rows (the one truth, like every statistic of
// lib/records/getRunRecord).
//
// Rules:
//  - graded repetitions are those with `correct` not null (their prompt had an `expect`); none: no quality figure.
//  - accuracy = correct / graded, with a Wilson 95 % interval (lib/stats/wilson).
//  - joules per correct answer = the energy of the graded measured repetitions (their `energy_j`, gross, the
//    run's counted sources) / the number of correct ones. Null when no answer is correct (there is no energy
//    per correct answer to give) or when a graded repetition's energy was not measured. Ungraded prompts of a
//    mixed suite (e.g. a pp512) are not counted: their energy bought no graded answer.
import { wilsonInterval, type ProportionInterval } from '../stats/wilson';

export interface QualitySummary {
  /** Graded measured repetitions. */
  graded: number;
  correct: number;
  /** correct / graded with its Wilson 95 % interval. */
  accuracy: ProportionInterval;
  /** Gross joules of the graded repetitions (null: not measured for every one of them). */
  gradedEnergyJ: number | null;
  /** gradedEnergyJ / correct; null when no answer is correct or energy was not measured. */
  joulesPerCorrect: number | null;
}

export interface GradedRow {
  correct: boolean | null;
  energyJ: number | null;
}

export function summarizeQuality(rows: readonly GradedRow[]): QualitySummary | null {
  const graded = rows.filter((r) => r.correct !== null);
  const energies = graded.map((r) => r.energyJ);
  const measured = energies.every((e): e is number => e !== null && Number.isFinite(e));
  return qualityFromCounts({
    graded: graded.length,
    correct: graded.filter((r) => r.correct === true).length,
    energyJ: measured ? energies.reduce((a, e) => a + e, 0) : null,
  });
}

/** The same rules from counts (SQL aggregates of the rows; several runs of one model pooled). */
export function qualityFromCounts(c: { graded: number; correct: number; energyJ: number | null }): QualitySummary | null {
  if (c.graded === 0) return null;
  return {
    graded: c.graded,
    correct: c.correct,
    accuracy: wilsonInterval(c.correct, c.graded)!,
    gradedEnergyJ: c.energyJ,
    joulesPerCorrect: c.energyJ !== null && c.correct > 0 ? c.energyJ / c.correct : null,
  };
}
