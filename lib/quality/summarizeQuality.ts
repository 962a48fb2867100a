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
  if (graded.length === 0) return null;
  const correct = graded.filter((r) => r.correct === true).length;
  const energies = graded.map((r) => r.energyJ);
  const gradedEnergyJ = energies.every((e): e is number => e !== null && Number.isFinite(e)) ? energies.reduce((a, e) => a + e, 0) : null;
  return {
    graded: graded.length,
    correct,
    accuracy: wilsonInterval(correct, graded.length)!,
    gradedEnergyJ,
    joulesPerCorrect: gradedEnergyJ !== null && correct > 0 ? gradedEnergyJ / correct : null,
  };
}
