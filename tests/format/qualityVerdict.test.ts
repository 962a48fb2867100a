import { describe, expect, it } from 'vitest';
import { buildQualityVerdict, type QualityVerdictItem } from '../../lib/format/qualityVerdict';
import { wilsonInterval } from '../../lib/stats/wilson';

const NBSP = '\u00a0';
const item = (label: string, correct: number, graded: number, jpc: number | null, energySource: string | null = 'rapl'): QualityVerdictItem => ({
  label,
  accuracy: wilsonInterval(correct, graded)!,
  correct,
  joulesPerCorrect: jpc,
  energySource,
});

describe('buildQualityVerdict', () => {
  it('says B is right as often as A for half the energy when their intervals overlap', () => {
    // 40/66 and 44/66: 95 % intervals overlap.
    expect(buildQualityVerdict([item('A', 44, 66, 12), item('B', 40, 66, 6)], 'en')).toEqual([
      'B is right as often as A (their 95% intervals overlap) for half the energy per correct answer.',
    ]);
    expect(buildQualityVerdict([item('A', 44, 66, 12), item('B', 40, 66, 6)], 'fr')).toEqual([
      'B a raison aussi souvent que A (leurs intervalles à 95 % se recouvrent) pour deux fois moins d’énergie par bonne réponse.',
    ]);
  });

  it('names both accuracies when the intervals do not overlap', () => {
    expect(buildQualityVerdict([item('A', 60, 66, 10), item('B', 20, 66, 7)], 'en')).toEqual([
      'A is right more often than B (91% against 30%), but B needs 30% less energy per correct answer.',
    ]);
    expect(buildQualityVerdict([item('A', 60, 66, 7), item('B', 20, 66, 10)], 'en')).toEqual([
      'A is right more often than B (91% against 30%) for 30% less energy per correct answer.',
    ]);
    expect(buildQualityVerdict([item('A', 60, 66, 7), item('B', 20, 66, 10)], 'fr')[0]).toContain(`(91${NBSP}% contre 30${NBSP}%)`);
  });

  it('calls a difference under 5 % the same energy, and flags estimates', () => {
    expect(buildQualityVerdict([item('A', 30, 66, 10), item('B', 31, 66, 9.8, 'estimate')], 'en')).toEqual([
      'B is right as often as A (their 95% intervals overlap) for about the same energy per correct answer (energy estimated, not measured).',
    ]);
  });

  it('says nothing about a run without a correct answer or without energy', () => {
    expect(buildQualityVerdict([item('A', 0, 66, null), item('B', 20, 66, 7)], 'en')).toEqual([]);
    expect(buildQualityVerdict([item('A', 30, 66, null, null), item('B', 20, 66, 7)], 'en')).toEqual([]);
  });
});
