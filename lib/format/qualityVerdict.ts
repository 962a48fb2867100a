// The plain verdict on accuracy against energy per correct answer: "B is right as often as A for half the energy
// per correct answer."
//
// Rule: the item with the fewest joules per correct answer (A) is set against each other item B that got at least
// one answer right (at most 3 sentences):
//  - "as often" when their Wilson 95 % intervals overlap (the difference in accuracy is within what chance gives
//    on this many questions), else "more often" / "less often" with both accuracies;
//  - energy: "about the same" when J per correct answer differ by less than 5 %, "half" when A needs 45–55 % of
//    B's, else "N % less"; an estimate on either side says so.
import type { Lang } from '../i18n/lang';
import { translate } from '../i18n/translate';
import type { ProportionInterval } from '../stats/wilson';
import { isEstimate } from './energyLabel';
import { formatPercent } from './units';

export interface QualityVerdictItem {
  label: string;
  accuracy: ProportionInterval;
  correct: number;
  /** null: no correct answer, or energy not measured. */
  joulesPerCorrect: number | null;
  energySource: string | null;
}

const SAME = 0.05;

export function intervalsOverlap(a: ProportionInterval, b: ProportionInterval): boolean {
  return a.low <= b.high && b.low <= a.high;
}

export function buildQualityVerdict(items: readonly QualityVerdictItem[], lang: Lang, maxSentences = 3): string[] {
  const priced = items.filter((i) => i.correct > 0 && i.joulesPerCorrect !== null && i.joulesPerCorrect > 0);
  if (priced.length < 2) return [];
  const a = priced.reduce((best, i) => (i.joulesPerCorrect! < best.joulesPerCorrect! ? i : best));
  const pct = (p: number) => formatPercent(p * 100, lang);
  return priced
    .filter((b) => b !== a)
    .slice(0, maxSentences)
    .map((b) => {
      const ratio = a.joulesPerCorrect! / b.joulesPerCorrect!;
      const amount =
        1 - ratio < SAME
          ? translate(lang, 'verdict.quality.same')
          : ratio >= 0.45 && ratio <= 0.55
            ? translate(lang, 'verdict.quality.half')
            : translate(lang, 'verdict.quality.less', { pct: pct(1 - ratio) });
      const vars = { a: a.label, b: b.label, amount, pa: pct(a.accuracy.p), pb: pct(b.accuracy.p) };
      const key = intervalsOverlap(a.accuracy, b.accuracy) ? 'verdict.quality.asOften' : a.accuracy.p > b.accuracy.p ? 'verdict.quality.moreOften' : 'verdict.quality.lessOften';
      const estimated = isEstimate(a.energySource) || isEstimate(b.energySource) ? translate(lang, 'verdict.estimated') : '';
      return `${translate(lang, key, vars)}${estimated}.`;
    });
}
